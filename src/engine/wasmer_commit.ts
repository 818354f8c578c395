/**
 * Applying the sandbox's tree to a read-write grant on the host, all or nothing. Runs
 * synchronously while the caller holds the tree lock exclusively. Every directory is entered
 * by one name and checked by identity (wasi/fs/pin.ts), and every change names one entry of
 * the working directory:
 *
 * 1. stage: each new or changed file is written to a `.wasp-sync-*` temp file created with
 *    O_EXCL next to its target (with the target's mode); each new directory is built whole
 *    under a temp name. A conflict (the host tree changed type under a path the guest
 *    changed) or a host error removes every temp and refuses the sync: nothing changed.
 * 2. commit: temps are renamed into place by name, files and directories the guest deleted
 *    are removed, a path that changed between file and directory is swapped through a
 *    temp name so that the original goes only once its replacement stands. Hard-linked
 *    files are rewritten in place, so every link sees the new contents.
 *
 * Symlinks and special files are never followed, replaced or removed.
 * @module
 */
import * as nodeFs from "node:fs";
import { openExisting } from "./wasi/fs/open.ts";
import { type DirRef, lstatHere, stepInto, stepUp } from "./wasi/fs/pin.ts";
import { sameObject } from "./wasi/fs/pin.ts";
import type { SyncChange } from "../report/sync_changes.ts";
import {
  errorText,
  type GuestDir,
  type HostDir,
  type HostFile,
  joinPath,
  SyncRefused,
} from "./wasmer_tree.ts";

/** One change to one entry of a directory. */
type Action =
  /** Rename the staged `temp` onto `name`; `displace` is what stands there and must go. */
  | { kind: "put"; name: string; temp: string; displace: null | "file" | HostDir }
  /** Rewrite the hard-linked file `name` (as lstat showed it) in place. */
  | { kind: "rewrite"; name: string; expect: Deno.FileInfo; bytes: Uint8Array }
  /** Remove the file `name` that was copied in. */
  | { kind: "unlink"; name: string; was: HostFile }
  /** Remove the directory `name` that was copied in, as far as wasp knows its contents. */
  | { kind: "rmtree"; name: string; was: HostDir };

/** The changes for one host directory and the directories below it. */
export interface DirWork {
  ref: DirRef;
  actions: Action[];
  children: { name: string; work: DirWork }[];
}

/** A temp entry created while staging (for rollback). */
interface Temp {
  dir: DirRef;
  name: string;
}

/** Staging state: the temps made so far, removed again if the sync is refused. */
export class Stager {
  readonly temps: Temp[] = [];
  /** What the plan changes on the host, for the change report (`--changes`). */
  readonly planned: SyncChange[] = [];
  private readonly differs = new WeakMap<GuestDir, boolean>();

  /** Plans and stages the changes that turn `host` into `guest`; cwd is `ref`. */
  plan(ref: DirRef, host: HostDir | null, guest: GuestDir): DirWork {
    const work: DirWork = { ref, actions: [], children: [] };
    const names = new Set([...(host?.entries.keys() ?? []), ...guest.entries.keys()]);
    for (const name of [...names].sort()) {
      if (host?.other.has(name)) continue; // a symlink or special file: never replaced
      const was = host?.entries.get(name);
      const want = guest.entries.get(name);
      const path = joinPath(ref.host, name);
      const now = lstatHere(name);
      if (want instanceof Uint8Array) {
        if (was?.kind === "file" && equal(was.bytes, want)) continue;
        if (now === null) {
          work.actions.push(this.putFile(ref, name, want, null, null));
          this.planned.push({ kind: "created", host: path, bytes: want });
        } else if (now.isFile && (now.nlink ?? 1) > 1) {
          work.actions.push({ kind: "rewrite", name, expect: now, bytes: want });
          this.planned.push({ kind: "modified", host: path, bytes: want });
        } else if (now.isFile) {
          work.actions.push(this.putFile(ref, name, want, now, null));
          this.planned.push({ kind: "modified", host: path, bytes: want });
        } else if (now.isDirectory && was?.kind === "dir" && sameObject(now, was.ref)) {
          requireKnown(ref, name, was);
          work.actions.push(this.putFile(ref, name, want, null, was));
          this.planned.push({ kind: "deleted", host: path, was });
          this.planned.push({ kind: "created", host: path, bytes: want });
        } else {
          conflict(path, "a file", now);
        }
      } else if (want !== undefined) {
        if (was?.kind === "dir") {
          if (!this.changed(was, want)) continue; // untouched: whatever stands there now
          if (now === null || !now.isDirectory || !sameObject(now, was.ref)) {
            conflict(path, "a directory", now);
          }
          work.children.push({ name, work: this.descend(ref, name, was.ref, was, want) });
        } else if (now === null) {
          work.actions.push(this.putDir(ref, name, want, null));
          this.planned.push({ kind: "created", host: path, tree: want });
        } else if (now.isDirectory && was === undefined) {
          const child = { host: path, dev: now.dev ?? 0, ino: now.ino ?? 0 };
          work.children.push({ name, work: this.descend(ref, name, child, null, want) });
        } else if (now.isFile && was?.kind === "file" && sameObject(now, was)) {
          work.actions.push(this.putDir(ref, name, want, "file"));
          this.planned.push({ kind: "deleted", host: path });
          this.planned.push({ kind: "created", host: path, tree: want });
        } else {
          conflict(path, "a directory", now);
        }
      } else if (was?.kind === "file") {
        if (now?.isFile && sameObject(now, was)) {
          work.actions.push({ kind: "unlink", name, was });
          this.planned.push({ kind: "deleted", host: path });
        }
      } else if (was?.kind === "dir") {
        if (now?.isDirectory && sameObject(now, was.ref)) {
          work.actions.push({ kind: "rmtree", name, was });
          this.planned.push({ kind: "deleted", host: path, was });
        }
      }
    }
    return work;
  }

  /** Whether the guest changed anything below the copied-in directory `host`. */
  private changed(host: HostDir, guest: GuestDir): boolean {
    const known = this.differs.get(guest);
    if (known !== undefined) return known;
    let result = host.entries.size !== guest.entries.size;
    for (const [name, want] of guest.entries) {
      if (result) break;
      const was = host.entries.get(name);
      result = want instanceof Uint8Array
        ? was?.kind !== "file" || !equal(was.bytes, want)
        : was?.kind !== "dir" || this.changed(was, want);
    }
    this.differs.set(guest, result);
    return result;
  }

  private descend(
    ref: DirRef,
    name: string,
    child: DirRef,
    host: HostDir | null,
    guest: GuestDir,
  ): DirWork {
    stepInto(name, child);
    const work = this.plan(child, host, guest);
    stepUp(ref);
    return work;
  }

  private putFile(
    ref: DirRef,
    name: string,
    bytes: Uint8Array,
    like: Deno.FileInfo | null,
    displace: HostDir | null,
  ): Action {
    const temp = this.tempName();
    this.temps.push({ dir: ref, name: temp });
    writeNew(temp, bytes, like);
    return { kind: "put", name, temp, displace };
  }

  private putDir(ref: DirRef, name: string, guest: GuestDir, displace: null | "file"): Action {
    const temp = this.tempName();
    this.temps.push({ dir: ref, name: temp });
    buildDir(ref, temp, guest);
    return { kind: "put", name, temp, displace };
  }

  private tempName(): string {
    return `.wasp-sync-${crypto.randomUUID()}`;
  }

  /** Removes every temp staged so far (the sync was refused). */
  rollback(pinDir: (dir: DirRef) => void): void {
    for (const t of this.temps.reverse()) {
      try {
        pinDir(t.dir);
        Deno.removeSync(t.name, { recursive: true });
      } catch {
        // already gone (the directory moved): nothing of ours is left to remove there
      }
    }
  }
}

function conflict(path: string, wanted: string, now: Deno.FileInfo | null): never {
  const what = now === null
    ? "nothing"
    : now.isSymlink
    ? "a symlink"
    : now.isDirectory
    ? "another directory"
    : now.isFile
    ? "another file"
    : "a special file";
  throw new SyncRefused(
    `the guest left ${wanted} at ${path}, but the host now has ${what} there (changed by someone else during the run); nothing was synced back`,
  );
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Creates `name` (O_EXCL: never through a symlink) holding `bytes`; with the mode and, where
 * the host allows it, the owner of `like`.
 */
function writeNew(name: string, bytes: Uint8Array, like: Deno.FileInfo | null): void {
  const fd = nodeFs.openSync(name, "wx", 0o666);
  try {
    let at = 0;
    while (at < bytes.length) at += nodeFs.writeSync(fd, bytes, at, bytes.length - at);
    if (like !== null) {
      nodeFs.fchmodSync(fd, (like.mode ?? 0o644) & 0o7777);
      const mine = nodeFs.fstatSync(fd);
      if (like.uid !== null && like.gid !== null) {
        if (mine.uid !== like.uid || mine.gid !== like.gid) {
          try {
            nodeFs.fchownSync(fd, like.uid, like.gid);
          } catch {
            // only a privileged wasp can give a file away; it stays the runner's
          }
        }
      }
    }
  } finally {
    nodeFs.closeSync(fd);
  }
}

/** Builds `guest` as the new directory `name` of the working directory `ref`. */
function buildDir(ref: DirRef, name: string, guest: GuestDir): void {
  Deno.mkdirSync(name);
  const st = lstatHere(name);
  if (st === null || !st.isDirectory) throw new SyncRefused(`${joinPath(ref.host, name)} vanished`);
  const here = { host: joinPath(ref.host, name), dev: st.dev ?? 0, ino: st.ino ?? 0 };
  stepInto(name, here);
  for (const [child, e] of guest.entries) {
    if (e instanceof Uint8Array) writeNew(child, e, null);
    else buildDir(here, child, e);
  }
  stepUp(ref);
}

/** Refuses unless the directory `name` of `parent` holds nothing but what was copied in. */
function requireKnown(parent: DirRef, name: string, was: HostDir): void {
  if (was.other.size > 0) {
    throw new SyncRefused(
      `the guest replaced the directory ${was.ref.host} by a file, but it holds ${
        [...was.other][0]
      }, which the wasmer engine does not copy (a symlink or special file); nothing was synced back`,
    );
  }
  stepInto(name, was.ref);
  for (const entry of [...Deno.readDirSync(".")].map((e) => e.name)) {
    const known = was.entries.get(entry);
    const st = lstatHere(entry);
    const ok = known !== undefined && st !== null &&
      (known.kind === "file" ? st.isFile && sameObject(st, known) : st.isDirectory);
    if (!ok) {
      throw new SyncRefused(
        `the guest replaced the directory ${was.ref.host} by a file, but ${entry} in it changed during the run; nothing was synced back`,
      );
    }
    if (known.kind === "dir") requireKnown(was.ref, entry, known);
  }
  stepUp(parent);
}

/** Removes what was copied in from the directory `name` of `parent`, then it if empty. */
function removeKnown(parent: DirRef, name: string, was: HostDir, failed: string[]): void {
  try {
    stepInto(name, was.ref);
  } catch {
    return; // moved or replaced meanwhile: not ours to remove any more
  }
  for (const [child, e] of was.entries) {
    const st = lstatHere(child);
    if (e.kind === "file") {
      if (st?.isFile && sameObject(st, e)) {
        attempt(failed, joinPath(was.ref.host, child), () => Deno.removeSync(child));
      }
    } else if (st?.isDirectory && sameObject(st, e.ref)) {
      removeKnown(was.ref, child, e, failed);
    }
  }
  stepUp(parent);
  try {
    Deno.removeSync(name);
  } catch {
    // it still holds something wasp did not copy (a symlink) or that appeared since: kept
  }
}

function attempt(failed: string[], path: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    failed.push(`${path} (${errorText(err)})`);
  }
}

function apply(ref: DirRef, action: Action, failed: string[]): void {
  const path = joinPath(ref.host, action.name);
  switch (action.kind) {
    case "put": {
      if (action.displace === null) {
        attempt(failed, path, () => Deno.renameSync(action.temp, action.name));
        return;
      }
      // the original steps aside first and goes only once its replacement stands
      const aside = `.wasp-sync-${crypto.randomUUID()}`;
      const displace = action.displace;
      attempt(failed, path, () => {
        Deno.renameSync(action.name, aside);
        Deno.renameSync(action.temp, action.name);
        if (displace === "file") Deno.removeSync(aside);
        else removeKnown(ref, aside, displace, failed);
      });
      return;
    }
    case "rewrite":
      attempt(failed, path, () => {
        const file = openExisting(action.name, action.expect, { read: false, write: true });
        try {
          file.truncateSync(0);
          let at = 0;
          while (at < action.bytes.length) at += file.writeSync(action.bytes.subarray(at));
        } finally {
          file.close();
        }
      });
      return;
    case "unlink": {
      const st = lstatHere(action.name);
      if (st?.isFile && sameObject(st, action.was)) {
        attempt(failed, path, () => Deno.removeSync(action.name));
      }
      return;
    }
    case "rmtree":
      removeKnown(ref, action.name, action.was, failed);
  }
}

/**
 * Commits staged work below the working directory `work.ref`; returns the host paths whose
 * change failed (a host process interfering, a full disk), empty when everything landed.
 */
export function commit(work: DirWork, failed: string[] = []): string[] {
  for (const action of work.actions) apply(work.ref, action, failed);
  for (const { name, work: child } of work.children) {
    try {
      stepInto(name, child.ref);
    } catch (err) {
      failed.push(`${child.ref.host} (${errorText(err)})`);
      continue;
    }
    commit(child, failed);
    stepUp(work.ref);
  }
  return failed;
}
