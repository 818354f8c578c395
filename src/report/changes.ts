/**
 * The change report (`--changes`): what a run created, modified, deleted or renamed in its
 * read-write grants, gathered from the operations the host performed for the guest — not
 * from comparing the trees before and after. Each operation is recorded as it succeeds
 * (in order; repeated writes to one file count once until something else happens to it), and
 * at the end the last event of each path that still exists gets its final state: size and
 * SHA-256 for a regular file, the target for a symlink.
 *
 * How a rescan (snapshot before, walk after, compare) would differ: it misses whatever was
 * created and deleted again (a temp file), cannot tell a rename from a delete plus a create,
 * sees a file rewritten with identical bytes as unchanged, costs a walk of every read-write
 * grant (two, with the snapshot) however little the guest did, and reports changes other
 * processes made to the same trees meanwhile as the guest's. The operation log reports exactly
 * what this run did. Times set by the guest are not changes here; a write through a descriptor
 * opened before its file was renamed is attributed to the name it was opened by. (The wasmer engine can only rescan: it syncs a sandbox copy back, so its
 * report comes from the sync-back's plan and shows renames as a delete and a create.)
 * @module
 */
import type { DirGrant } from "../policy.ts";
import { guestPathOf } from "./guest_paths.ts";
import type { Change, EntryType } from "./types.ts";

/** Most changes kept per run; later ones are only counted. */
export const MAX_CHANGES = 1000;

/**
 * Most bytes of paths the kept changes may hold: a guest can nest directories until host
 * paths are far longer than PATH_MAX, and the report must still fit the result frame (80 MiB,
 * even with every character escaped six-fold in JSON).
 */
export const MAX_CHANGE_PATH_BYTES = 8 * 1024 * 1024;

/** The final state of an entry, read at the end of the run (null when it is gone). */
export type FinalState =
  | { type: "file"; size: number; sha256: string }
  | { type: "dir" }
  | { type: "symlink"; target: string }
  | { type: "other" };

/** Reads the final state of the entry at a host path (through the race-free path layer). */
export type StateReader = (host: string) => Promise<FinalState | null> | FinalState | null;

/** The change log of one run. */
export class ChangeLog {
  readonly #dirs: readonly DirGrant[];
  readonly #events: Change[] = [];
  /** Paths whose last event was a create or a modification (a write adds nothing to those). */
  readonly #fresh = new Set<string>();
  /** Final states already known (the wasmer engine knows the bytes it wrote). */
  readonly #known = new Map<Change, FinalState>();
  #dropped = 0;
  #pathBytes = 0;

  constructor(dirs: readonly DirGrant[]) {
    this.#dirs = dirs;
  }

  /** A new entry at `host` (a hard link names the file it links in `from`). */
  created(host: string, type: EntryType, from?: string): void {
    this.#fresh.add(host);
    this.#push({ kind: "created", host, guest: "", type }, from);
  }

  /** The contents of the file at `host` changed (written, truncated, allocated). */
  modified(host: string): void {
    if (this.#fresh.has(host)) return;
    this.#fresh.add(host);
    this.#push({ kind: "modified", host, guest: "", type: "file" });
  }

  /** The entry at `host` was removed. */
  deleted(host: string, type: EntryType): void {
    this.#forget(host, type);
    this.#push({ kind: "deleted", host, guest: "", type });
  }

  /** The entry at `from` now stands at `to`. */
  renamed(from: string, to: string, type: EntryType): void {
    this.#forget(from, type);
    this.#forget(to, type);
    this.#push({ kind: "renamed", host: to, guest: "", type }, from);
  }

  /** Records a change whose final state is already known (wasmer's sync-back). */
  known(change: Pick<Change, "kind" | "host" | "type">, state: FinalState | null): void {
    const c = this.#push({ kind: change.kind, host: change.host, guest: "", type: change.type });
    if (c !== null && state !== null) this.#known.set(c, state);
  }

  /** The changes, final states filled in by `read`, and how many more there were. */
  async data(read: StateReader): Promise<{ changes: Change[]; changes_dropped: number }> {
    const last = new Map<string, Change>();
    for (const c of this.#events) last.set(c.host, c);
    for (const [host, c] of last) {
      if (c.kind === "deleted") continue;
      let state: FinalState | null = this.#known.get(c) ?? null;
      try {
        state ??= await read(host);
      } catch {
        state = null; // the entry cannot be read back: report the event without its state
      }
      if (state?.type === "file") Object.assign(c, { size: state.size, sha256: state.sha256 });
      if (state?.type === "symlink") c.target = state.target;
    }
    return { changes: this.#events, changes_dropped: this.#dropped };
  }

  #forget(host: string, type: EntryType): void {
    this.#fresh.delete(host);
    if (type !== "dir") return;
    const below = host + "/";
    for (const p of this.#fresh) if (p.startsWith(below)) this.#fresh.delete(p);
  }

  #push(c: Change, from?: string): Change | null {
    // host and guest path of the entry and of `from`, and room for a symlink's target
    const cost = 2 * (c.host.length + (from?.length ?? 0)) + 4096;
    if (this.#events.length >= MAX_CHANGES || this.#pathBytes + cost > MAX_CHANGE_PATH_BYTES) {
      this.#dropped++;
      return null;
    }
    this.#pathBytes += cost;
    c.guest = guestPathOf(this.#dirs, c.host);
    if (from !== undefined) c.from = { host: from, guest: guestPathOf(this.#dirs, from) };
    this.#events.push(c);
    return c;
  }
}
