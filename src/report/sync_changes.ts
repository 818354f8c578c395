/**
 * The change report of the wasmer engine, derived from its sync-back: the engine runs the
 * guest on a copy and compares trees, so it knows what to create, rewrite and remove on the
 * host, but not how the guest got there — a rename shows as a delete and a create, a file
 * created and deleted again does not show at all (see changes.ts on rescans). Final states
 * come from the bytes the sync wrote, not from reading the host again.
 * @module
 */
import { joinPath } from "../engine/wasmer_tree.ts";
import type { GuestDir, HostDir } from "../engine/wasmer_tree.ts";
import type { ChangeLog } from "./changes.ts";

/** One host change a sync-back plans: a file (`bytes`) or directory (`tree`) made, or a removal. */
export type SyncChange =
  | { kind: "created" | "modified"; host: string; bytes: Uint8Array }
  | { kind: "created"; host: string; tree: GuestDir }
  /** A removed file, or a removed directory with what was copied in from it (`was`). */
  | { kind: "deleted"; host: string; was?: HostDir };

/**
 * Records the planned changes that landed (`failed` lists the host paths that did not, each
 * followed by " (" and the error, as the commit reports them).
 */
export async function recordSyncChanges(
  log: ChangeLog,
  planned: SyncChange[],
  failed: string[],
): Promise<void> {
  if (planned.length === 0) return;
  const { createHash } = await import("node:crypto");
  const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
  const landed = (host: string) =>
    !failed.some((f) => f.startsWith(`${host} (`) || f.startsWith(`below ${host} (`));
  const made = (host: string, e: Uint8Array | GuestDir) => {
    if (e instanceof Uint8Array) {
      log.known({ kind: "created", host, type: "file" }, {
        type: "file",
        size: e.length,
        sha256: sha(e),
      });
      return;
    }
    log.known({ kind: "created", host, type: "dir" }, { type: "dir" });
    for (const [name, child] of e.entries) made(joinPath(host, name), child);
  };
  const gone = (host: string, was: HostDir) => {
    for (const [name, child] of was.entries) {
      if (child.kind === "dir") gone(joinPath(host, name), child);
      else log.known({ kind: "deleted", host: joinPath(host, name), type: "file" }, null);
    }
    log.known({ kind: "deleted", host, type: "dir" }, null);
  };
  for (const c of planned) {
    if (!landed(c.host)) continue;
    if (c.kind === "deleted") {
      if (c.was === undefined) log.known({ kind: "deleted", host: c.host, type: "file" }, null);
      else gone(c.host, c.was);
    } else if ("tree" in c) {
      made(c.host, c.tree);
    } else if (c.kind === "created") {
      made(c.host, c.bytes);
    } else {
      log.known({ kind: "modified", host: c.host, type: "file" }, {
        type: "file",
        size: c.bytes.length,
        sha256: sha(c.bytes),
      });
    }
  }
}
