/**
 * Messages exchanged between the parent and the walled child (inside frames).
 * @module
 */
import type { EngineRequest, Outcome, PinnedDir } from "../engine/mod.ts";
import type { EngineName } from "../policy.ts";
import type { Backstop } from "./backstop.ts";
import type { KernelWall } from "./landlock.ts";
import type { PhaseMark } from "../phases.ts";
import type { ReportData } from "../report/types.ts";

/**
 * START frame payload: the run, minus the module's bytes and stdin (which follow in a MODULE
 * and a STDIN frame).
 */
export interface StartMessage {
  request: Omit<EngineRequest, "stdin" | "module">;
  engine: EngineName;
  /** The kernel wall to put up: the C library to reach Landlock through, or null for none. */
  kernel: { libc: string | null; why: string | null; reads: string[] };
  /** The wasp process that spawned the child (checked by the child's backstop.ts). */
  parentPid: number;
  /**
   * When the parent kills the child for the timeout (ms since the epoch), or null: the child
   * stops holding output back shortly before (output_coalescer.ts).
   */
  deadline?: number | null;
  /** Whether the child reports its phase timestamps in the result (src/phases.ts). */
  phases?: boolean;
}

/** WALLS frame payload: what the child put up before the guest ran. */
export interface WallsMessage {
  kernel: KernelWall;
  /** What the kernel backstop armed (parent-death signal, CPU limit). */
  backstop: Backstop;
}

/** RESULT frame payload. */
export interface ResultMessage {
  outcome: Outcome;
  /** The child's phase timestamps, when the start message asked for them. */
  phases?: PhaseMark[];
  /** Denials, and the trace and changes when asked for (src/report/). */
  report?: ReportData;
}

/** Longest symlink target or name the broker handles (PATH_MAX); longer: ENAMETOOLONG. */
export const MAX_BROKER_PATH = 4096;

/** Largest BROKER_REQUEST payload the parent reads; a larger one is answered ENAMETOOLONG. */
export const MAX_BROKER_REQUEST = 16 * 1024;

/** BROKER_REQUEST frame payload: an operation on one entry of a pinned directory. */
export type BrokerRequest =
  | { op: "symlink"; dir: PinnedDir; name: string; target: string }
  | { op: "lutimes"; dir: PinnedDir; name: string; atime: number; mtime: number };

/** BROKER_RESPONSE frame payload: null on success or a POSIX error code name. */
export interface BrokerResponse {
  error: string | null;
}
