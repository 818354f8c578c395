/**
 * The two views of a granted directory that the wasmer engine compares: the host tree it
 * copied in (read through pinned directories, see wasi/fs/pin.ts) and the SDK sandbox's
 * tree after the run. Both are capped by `--max-sync-files` (files and directories count)
 * and `--max-sync-bytes`, and by MAX_SYNC_DEPTH levels.
 * @module
 */
import type { Limits } from "../limits.ts";
import type { DirGrant } from "../policy.ts";
import { E } from "./wasi/constants.ts";
import { WasiError } from "./wasi/errno.ts";
import { openExisting } from "./wasi/fs/open.ts";
import { type DirRef, lstatHere, pin, refOf, stepInto, stepUp } from "./wasi/fs/pin.ts";
import { concatBytes } from "../bytes.ts";

/**
 * Deepest directory level synced. Deno checks every path operation against the run's
 * permissions from the absolute path, at a cost that grows faster than the depth, and
 * cannot reach paths longer than the system's PATH_MAX at all; real trees stay far below.
 */
export const MAX_SYNC_DEPTH = 128;

/** A regular file of the host tree as copied in. */
export interface HostFile {
  kind: "file";
  bytes: Uint8Array;
  dev: number;
  ino: number;
}

/** A directory of the host tree as copied in; `other` names what was not copied. */
export interface HostDir {
  kind: "dir";
  ref: DirRef;
  entries: Map<string, HostFile | HostDir>;
  /** Entries that were not copied (symlinks, sockets, devices, FIFOs). */
  other: Set<string>;
}

/** A directory of the sandbox after the run. */
export interface GuestDir {
  kind: "dir";
  entries: Map<string, Uint8Array | GuestDir>;
}

/** What a grant held when it was copied in. */
export interface GrantSnapshot {
  grant: DirGrant;
  root: HostDir;
}

/** The part of the SDK's sandbox filesystem that syncing uses. */
export interface SandboxFs {
  readDir(
    path: string,
  ): Promise<readonly { name: string; kind: "file" | "directory"; size: number }[]>;
  readFile(path: string): Promise<Uint8Array>;
}

/** A copy-in or sync-back refused as a whole (reported as `policy_error`); nothing changed. */
export class SyncRefused extends Error {}

/** The name of an error for messages: "ENOENT", or the host's first line. */
export function errorText(err: unknown): string {
  if (err instanceof WasiError) {
    const name = Object.entries(E).find(([, v]) => v === err.errno)?.[0];
    return name ? `E${name}` : `errno ${err.errno}`;
  }
  return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}

/** Counts entries and bytes against the sync caps. */
export class Budget {
  files = 0;
  bytes = 0;
  constructor(readonly limits: Limits, readonly what: string) {}
  /** Counts one entry (a file or a directory); throws SyncRefused past the cap. */
  entry(): void {
    this.files++;
    if (this.files > this.limits.maxSyncFiles) {
      throw new SyncRefused(
        `${this.what} holds more than ${this.limits.maxSyncFiles} files and directories, the --max-sync-files cap of the wasmer engine; grant a smaller directory or raise the cap`,
      );
    }
  }
  /** Counts file bytes; throws SyncRefused past the cap. */
  add(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.limits.maxSyncBytes) {
      throw new SyncRefused(
        `${this.what} holds more than ${this.limits.maxSyncBytes} bytes, the --max-sync-bytes cap of the wasmer engine; grant a smaller directory or raise the cap`,
      );
    }
  }
  /** Refuses a directory level past MAX_SYNC_DEPTH. */
  depth(level: number, path: string): void {
    if (level <= MAX_SYNC_DEPTH) return;
    throw new SyncRefused(
      `${this.what} nests directories deeper than ${MAX_SYNC_DEPTH} levels (${
        path.length > 80 ? `${path.slice(0, 80)}...` : path
      }), more than the wasmer engine copies; use the default engine for such trees`,
    );
  }
}

/** `a/b` for messages and host paths. */
export function joinPath(a: string, b: string): string {
  return a === "/" ? `/${b}` : `${a}/${b}`;
}

function readWhole(file: Deno.FsFile, expected: number, budget: Budget): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const buf = new Uint8Array(Math.min(Math.max(expected - total + 1, 4096), 1 << 20));
    const n = file.readSync(buf);
    if (n === null) break;
    budget.add(n);
    chunks.push(buf.subarray(0, n));
    total += n;
  }
  return concatBytes(chunks, total);
}

/** Entry names of the working directory, refusing names the host cannot give as text. */
function namesHere(at: string): string[] {
  const names = [...Deno.readDirSync(".")].map((e) => e.name);
  for (const name of names) {
    if (name.includes("\uFFFD") && lstatHere(name) === null) {
      throw new SyncRefused(
        `${at} holds a file name that is not valid UTF-8 (${
          JSON.stringify(name)
        }); the wasmer engine cannot copy it: rename it or use the default engine`,
      );
    }
  }
  return names.sort();
}

function copyDir(ref: DirRef, budget: Budget, level: number): HostDir {
  const dir: HostDir = { kind: "dir", ref, entries: new Map(), other: new Set() };
  for (const name of namesHere(ref.host)) {
    const st = lstatHere(name);
    if (st === null) continue; // removed since it was listed
    const host = joinPath(ref.host, name);
    if (st.isDirectory) {
      budget.entry();
      budget.depth(level + 1, host);
      const child = { host, dev: st.dev ?? 0, ino: st.ino ?? 0 };
      stepInto(name, child);
      dir.entries.set(name, copyDir(child, budget, level + 1));
      stepUp(ref);
    } else if (st.isFile) {
      budget.entry();
      const file = openExisting(name, st, { read: true, write: false });
      try {
        const bytes = readWhole(file, st.size, budget);
        dir.entries.set(name, { kind: "file", bytes, dev: st.dev ?? 0, ino: st.ino ?? 0 });
      } finally {
        file.close();
      }
    } else {
      dir.other.add(name);
    }
  }
  return dir;
}

/**
 * Copies every regular file and directory of the grants (symlinks and special files are
 * skipped, never followed), within the caps. Runs synchronously: the caller holds the tree
 * lock shared, so no other wasp run changes the tree's structure meanwhile; every directory
 * is entered by one name and checked by identity, every file opened by one name and checked.
 */
export function copyIn(dirs: DirGrant[], limits: Limits): GrantSnapshot[] {
  const budget = new Budget(limits, "the granted directories");
  return dirs.map((grant) => {
    try {
      const ref = refOf(grant.host);
      pin(ref);
      return { grant, root: copyDir(ref, budget, 0) };
    } catch (err) {
      if (err instanceof SyncRefused) throw err;
      throw new SyncRefused(
        `cannot copy ${grant.host} into the wasmer sandbox (${
          errorText(err)
        }): it changed while it was copied, or holds an unreadable entry; check it and try again`,
      );
    }
  });
}

/** The SDK `files` map for the snapshots: guest path → bytes. */
export function sandboxFiles(snaps: GrantSnapshot[]): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const walk = (dir: HostDir, at: string) => {
    for (const [name, e] of dir.entries) {
      if (e.kind === "file") files[`${at}/${name}`] = e.bytes;
      else walk(e, `${at}/${name}`);
    }
  };
  for (const s of snaps) walk(s.root, s.grant.guest);
  return files;
}

/** Every directory of the snapshots as a guest path, parents first. */
export function sandboxDirs(snaps: GrantSnapshot[]): string[] {
  const out: string[] = [];
  const walk = (dir: HostDir, at: string) => {
    out.push(at);
    for (const [name, e] of dir.entries) if (e.kind === "dir") walk(e, `${at}/${name}`);
  };
  for (const s of snaps) walk(s.root, s.grant.guest);
  return out;
}

function checkName(name: string, at: string): void {
  if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0")) {
    throw new SyncRefused(
      `the guest left an entry named ${JSON.stringify(name)} in ${at}, which no host can hold`,
    );
  }
}

/** Reads the sandbox's tree below `guestRoot`, within the caps. */
export async function readSandbox(
  fs: SandboxFs,
  guestRoot: string,
  budget: Budget,
): Promise<GuestDir> {
  const walk = async (at: string, level: number): Promise<GuestDir> => {
    const dir: GuestDir = { kind: "dir", entries: new Map() };
    for (const e of await fs.readDir(at)) {
      checkName(e.name, at);
      const path = `${at}/${e.name}`;
      if (e.kind === "directory") {
        budget.entry();
        budget.depth(level + 1, path);
        dir.entries.set(e.name, await walk(path, level + 1));
      } else {
        budget.entry();
        budget.add(e.size);
        const bytes = await fs.readFile(path);
        budget.add(bytes.length - e.size);
        dir.entries.set(e.name, bytes);
      }
    }
    return dir;
  };
  return await walk(guestRoot, 0);
}
