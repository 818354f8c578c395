/**
 * Syncing the wasmer sandbox back to the read-write grants: read everything from the
 * sandbox first (the SDK is asynchronous), then, once the parent has agreed that the run is
 * past its timeout's reach, stage and commit every host change synchronously under the
 * exclusive tree lock (see wasmer_commit.ts).
 * @module
 */
import type { Limits } from "../limits.ts";
import type { EngineIo } from "./mod.ts";
import { pin } from "./wasi/fs/pin.ts";
import { commit, type DirWork, Stager } from "./wasmer_commit.ts";
import { recordSyncChanges } from "../report/sync_changes.ts";
import {
  Budget,
  errorText,
  type GrantSnapshot,
  type GuestDir,
  readSandbox,
  type SandboxFs,
  SyncRefused,
} from "./wasmer_tree.ts";

/** How a sync-back ended. */
export type SyncResult =
  | { kind: "synced" }
  /** The parent is stopping the run (timeout, cancellation): nothing was written. */
  | { kind: "stopped" }
  /** Nothing was written, for the reason given. */
  | { kind: "refused"; message: string }
  /** Everything was staged, but these host paths could not be changed at commit. */
  | { kind: "partial"; failed: string[] };

/** Writes the sandbox's view of every read-write grant back to the host, all or nothing. */
export async function syncBack(
  fs: SandboxFs,
  snaps: GrantSnapshot[],
  limits: Limits,
  io: EngineIo,
): Promise<SyncResult> {
  const budget = new Budget(limits, "the sandbox's copy of the read-write grants");
  const plans: { snap: GrantSnapshot; after: GuestDir }[] = [];
  try {
    for (const snap of snaps) {
      if (snap.grant.access !== "read-write") continue;
      let after: GuestDir;
      try {
        after = await readSandbox(fs, snap.grant.guest, budget);
      } catch (err) {
        if (err instanceof SyncRefused) throw err;
        // the guest removed or replaced the grant's own directory, or the SDK failed
        throw new SyncRefused(
          `cannot read the sandbox's ${snap.grant.guest} back (${errorText(err)})`,
        );
      }
      plans.push({ snap, after });
    }
  } catch (err) {
    if (err instanceof SyncRefused) return { kind: "refused", message: err.message };
    throw err;
  }
  if (plans.length === 0) return { kind: "synced" };
  if (!io.beginSync()) return { kind: "stopped" };
  const stager = new Stager();
  const result = io.exclusive((): SyncResult => {
    const works: DirWork[] = [];
    try {
      for (const { snap, after } of plans) {
        pin(snap.root.ref);
        works.push(stager.plan(snap.root.ref, snap.root, after));
      }
    } catch (err) {
      stager.rollback(pin);
      if (err instanceof SyncRefused) return { kind: "refused", message: err.message };
      return {
        kind: "refused",
        message: `cannot sync the sandbox back (${
          errorText(err)
        }): a grant changed during the run or the host refused a write; nothing was synced back`,
      };
    }
    const failed: string[] = [];
    for (const work of works) {
      try {
        pin(work.ref);
      } catch (err) {
        failed.push(`${work.ref.host} (${errorText(err)})`);
        continue;
      }
      try {
        commit(work, failed);
      } catch (err) {
        // a directory moved away under the commit (only a host program racing the run)
        failed.push(`below ${work.ref.host} (${errorText(err)})`);
      }
    }
    return failed.length === 0 ? { kind: "synced" } : { kind: "partial", failed };
  });
  const changes = io.report?.changes;
  if (changes && (result.kind === "synced" || result.kind === "partial")) {
    await recordSyncChanges(
      changes,
      stager.planned,
      result.kind === "partial" ? result.failed : [],
    );
  }
  return result;
}
