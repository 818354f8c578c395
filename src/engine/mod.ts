/**
 * The Engine interface: what the walled child asks of whatever runs the guest.
 * A new engine is one file that implements `Engine`.
 * @module
 */
import type { ErrorKind } from "../envelope.ts";
import type { DirGrant } from "../policy.ts";
import type { Limits } from "../limits.ts";

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
}

/** The services the walled child offers an engine while the guest runs. */
export interface EngineIo {
  /** Guest output on fd 1 or 2; may throw `StopGuest` when the guest must be stopped. */
  output(fd: 1 | 2, bytes: Uint8Array): void;
  /**
   * Asks the parent to create a symlink (the child's permissions cannot). Returns null on
   * success or a POSIX errno name such as "EEXIST".
   */
  symlink(target: string, linkHostPath: string): string | null;
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
