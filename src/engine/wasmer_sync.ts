/**
 * Copying grants into the Wasmer SDK's virtual filesystem and syncing read-write grants back.
 * Symlinks and special files are never copied, followed, replaced or written through; every
 * host write is a temp file renamed into place inside a directory that is really inside the
 * grant. Copies are capped by `maxSyncFiles` / `maxSyncBytes`.
 * @module
 */
import type { Limits } from "../limits.ts";
import type { DirGrant } from "../policy.ts";

/** What a grant held when it was copied in (paths relative to the grant, "/"-separated). */
export interface GrantSnapshot {
  grant: DirGrant;
  files: Map<string, Uint8Array>;
  dirs: Set<string>;
}

/** The part of the SDK's sandbox filesystem that syncing uses. */
export interface SandboxFs {
  readDir(
    path: string,
  ): Promise<readonly { name: string; kind: "file" | "directory"; size: number }[]>;
  readFile(path: string): Promise<Uint8Array>;
}

/** Thrown when a grant is larger than the sync caps allow. */
export class SyncLimitError extends Error {}

class Budget {
  files = 0;
  bytes = 0;
  constructor(readonly limits: Limits, readonly what: string) {}
  take(size: number): void {
    this.files++;
    this.bytes += size;
    if (this.files > this.limits.maxSyncFiles) {
      throw new SyncLimitError(
        `${this.what} holds more than ${this.limits.maxSyncFiles} files, the --max-sync-files cap of the wasmer engine; grant a smaller directory or raise the cap`,
      );
    }
    if (this.bytes > this.limits.maxSyncBytes) {
      throw new SyncLimitError(
        `${this.what} holds more than ${this.limits.maxSyncBytes} bytes, the --max-sync-bytes cap of the wasmer engine; grant a smaller directory or raise the cap`,
      );
    }
  }
}

function join(a: string, b: string): string {
  return b === "" ? a : a === "" ? b : `${a}/${b}`;
}

/** Reads every regular file and directory of the grants (symlinks skipped), within the caps. */
export function snapshotGrants(dirs: DirGrant[], limits: Limits): GrantSnapshot[] {
  const budget = new Budget(limits, "the granted directories");
  return dirs.map((grant) => {
    const snap: GrantSnapshot = { grant, files: new Map(), dirs: new Set() };
    const walk = (rel: string) => {
      for (const entry of Deno.readDirSync(join(grant.host, rel))) {
        const childRel = join(rel, entry.name);
        const st = Deno.lstatSync(`${grant.host}/${childRel}`);
        if (st.isDirectory) {
          snap.dirs.add(childRel);
          walk(childRel);
        } else if (st.isFile) {
          budget.take(st.size);
          snap.files.set(childRel, Deno.readFileSync(`${grant.host}/${childRel}`));
        }
      }
    };
    walk("");
    return snap;
  });
}

/** The SDK `files` map for the snapshots: guest path → bytes. */
export function sandboxFiles(snaps: GrantSnapshot[]): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const s of snaps) {
    for (const [rel, bytes] of s.files) files[`${s.grant.guest}/${rel}`] = bytes;
  }
  return files;
}

async function readTree(
  fs: SandboxFs,
  guestRoot: string,
  budget: Budget,
): Promise<{ files: Map<string, Uint8Array>; dirs: Set<string> }> {
  const files = new Map<string, Uint8Array>();
  const dirs = new Set<string>();
  const walk = async (rel: string) => {
    for (const e of await fs.readDir(join(guestRoot, rel))) {
      const childRel = join(rel, e.name);
      if (e.kind === "directory") {
        dirs.add(childRel);
        await walk(childRel);
      } else {
        budget.take(e.size);
        files.set(childRel, await fs.readFile(`${guestRoot}/${childRel}`));
      }
    }
  };
  await walk("");
  return { files, dirs };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when every component of `rel` below `root` is a real directory (no symlinks). */
function safeParent(root: string, rel: string): boolean {
  const parts = rel.split("/").slice(0, -1);
  let at = root;
  for (const p of parts) {
    at = `${at}/${p}`;
    try {
      const st = Deno.lstatSync(at);
      if (!st.isDirectory) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function lstatOrNull(path: string): Deno.FileInfo | null {
  try {
    return Deno.lstatSync(path);
  } catch {
    return null;
  }
}

/** Writes the sandbox's view of every read-write grant back to the host. */
export async function syncBack(
  fs: SandboxFs,
  snaps: GrantSnapshot[],
  limits: Limits,
): Promise<void> {
  const budget = new Budget(limits, "the sandbox's copy of the read-write grants");
  const plans = [];
  for (const snap of snaps) {
    if (snap.grant.access !== "read-write") continue;
    plans.push({ snap, after: await readTree(fs, snap.grant.guest, budget) });
  }
  for (const { snap, after } of plans) {
    const root = snap.grant.host;
    const newDirs = [...after.dirs].filter((d) => !snap.dirs.has(d));
    newDirs.sort((a, b) => a.split("/").length - b.split("/").length);
    for (const d of newDirs) {
      if (!safeParent(root, d) || lstatOrNull(`${root}/${d}`)) continue;
      Deno.mkdirSync(`${root}/${d}`);
    }
    for (const [rel, bytes] of after.files) {
      const before = snap.files.get(rel);
      if (before && equal(before, bytes)) continue;
      if (!safeParent(root, rel)) continue;
      const target = `${root}/${rel}`;
      const existing = lstatOrNull(target);
      if (existing && !existing.isFile) continue;
      const dir = target.slice(0, target.lastIndexOf("/"));
      const tmp = `${dir}/.wasp-sync-${crypto.randomUUID()}`;
      Deno.writeFileSync(tmp, bytes, { createNew: true });
      Deno.renameSync(tmp, target);
    }
    for (const rel of snap.files.keys()) {
      if (after.files.has(rel) || !safeParent(root, rel)) continue;
      if (lstatOrNull(`${root}/${rel}`)?.isFile) Deno.removeSync(`${root}/${rel}`);
    }
    const goneDirs = [...snap.dirs].filter((d) => !after.dirs.has(d));
    goneDirs.sort((a, b) => b.split("/").length - a.split("/").length);
    for (const d of goneDirs) {
      if (!safeParent(root, d) || !lstatOrNull(`${root}/${d}`)?.isDirectory) continue;
      try {
        Deno.removeSync(`${root}/${d}`);
      } catch {
        // still holds something wasp does not manage (a symlink): leave it
      }
    }
  }
}
