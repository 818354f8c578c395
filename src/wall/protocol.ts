/**
 * Messages exchanged between the parent and the walled child (inside frames).
 * @module
 */
import type { EngineRequest, Outcome } from "../engine/mod.ts";
import type { EngineName } from "../policy.ts";

/** START frame payload: the run, minus stdin (which follows in a STDIN frame). */
export interface StartMessage {
  request: Omit<EngineRequest, "stdin">;
  engine: EngineName;
  /** The wasp process that spawned the child (checked by the child's backstop.ts). */
  parentPid: number;
}

/** RESULT frame payload. */
export interface ResultMessage {
  outcome: Outcome;
}

/** BROKER_REQUEST frame payload. */
export interface BrokerRequest {
  op: "symlink";
  target: string;
  path: string;
}

/** BROKER_RESPONSE frame payload: null on success or a POSIX error code name. */
export interface BrokerResponse {
  error: string | null;
}
