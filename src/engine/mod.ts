/**
 * The Engine interface: what the walled child asks of whatever runs the guest.
 * A new engine is one file that implements `Engine`.
 * @module
 */
import type { ErrorKind } from "../envelope.ts";
import type { DirGrant } from "../policy.ts";
import type { Limits } from "../limits.ts";
import type { RunReport } from "../report/run_report.ts";
import type { ReportWanted } from "../report/types.ts";

/** Everything an engine needs to run one guest. */
export interface EngineRequest {
  /** Host path of the module, for messages only: engines run `module`, never re-read this. */
  modulePath: string;
  /** The module's bytes as read (and hashed) by the parent. */
  module: Uint8Array;
  moduleName: string;
  args: string[];
  env: [string, string][];
  dirs: DirGrant[];
  limits: Limits;
  stdin: Uint8Array;
  /** Whether the guest may create symlinks (that stay inside their grant) or none. */
  symlinks: "inside" | "deny";
  /**
   * The tree lock shared by every wasp run on this machine, or null: a host path that must
   * never be moved or removed by the guest (see EngineIo.exclusive).
   */
  treeLock: string | null;
  /** Host directories inside read-write grants that stay read-only (see Policy). */
  readOnlyPaths: string[];
  /** What the run's report holds besides denials (`--trace`, `--changes`); default neither. */
  report?: ReportWanted;
}

/** A directory the engine has pinned: its host path when checked, and its identity. */
export interface PinnedDir {
  host: string;
  dev: number;
  ino: number;
}

/** The services the walled child offers an engine while the guest runs. */
export interface EngineIo {
  /** Guest output on fd 1 or 2; may throw `StopGuest` when the guest must be stopped. */
  output(fd: 1 | 2, bytes: Uint8Array): void;
  /**
   * Asks the parent to create the symlink `name` -> `target` in the directory `dir` (the
   * child's permissions cannot). The parent acts only if `dir` is still that directory.
   * Returns null on success or a POSIX errno name such as "EEXIST".
   */
  symlink(target: string, dir: PinnedDir, name: string): string | null;
  /** Asks the parent to set a symlink's own times (seconds), like `symlink`. */
  lutimes(dir: PinnedDir, name: string, atime: number, mtime: number): string | null;
  /**
   * Runs `fn` holding the tree lock that every wasp run on this machine takes around changes
   * to directory structure (create, remove, rename, link, symlink), so that no other run can
   * swap a directory while `fn` checks and acts. Runs `fn` directly when there is no lock.
   */
  exclusive<T>(fn: () => T): T;
  /**
   * Runs `fn` holding the tree lock shared: reads that resolve paths, so that no other run's
   * structure change interleaves with their checks.
   */
  shared<T>(fn: () => T): T;
  /**
   * Asks the parent before the engine starts changing the host after the guest ended (the
   * wasmer engine's sync-back): true when the run is not being stopped, and the parent then
   * lets the changes finish instead of killing the child at the timeout; false when it is
   * being stopped, and nothing may be changed.
   */
  beginSync(): boolean;
  /**
   * Where the engine records denials, the trace and changes (src/report/); absent: the
   * engine keeps a report of its own that nobody reads.
   */
  report?: RunReport;
}

/** How a guest run ended, as far as the engine can tell. */
export type Outcome =
  | { kind: "exit"; code: number }
  | { kind: "trap"; message: string }
  | { kind: "failure"; errorKind: ErrorKind; message: string; exitCode: number | null };

/** The outcome of a guest stopped at its time limit (by the parent, or by the host's backstop). */
export function timedOut(timeoutMs: number): Outcome {
  return {
    kind: "failure",
    errorKind: "timeout",
    message:
      `the guest ran longer than the ${timeoutMs} ms timeout and was stopped; raise --timeout or make it finish sooner`,
    exitCode: null,
  };
}

/** A runtime for guests. */
export interface Engine {
  run(request: EngineRequest, io: EngineIo): Promise<Outcome>;
}

/** Thrown through guest code to stop it at once (for example on an output flood). */
export class StopGuest extends Error {
  /** The outcome to report for the stopped guest. */
  readonly outcome: Outcome;
  constructor(outcome: Outcome) {
    super("guest stopped");
    this.name = "StopGuest";
    this.outcome = outcome;
  }
}
