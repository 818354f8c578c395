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
}

/** RESULT frame payload. */
export interface ResultMessage {
  outcome: Outcome;
}

/** Longest symlink target or link path the broker handles (PATH_MAX); longer: ENAMETOOLONG. */
export const MAX_BROKER_PATH = 4096;

/** Largest BROKER_REQUEST payload the parent reads; a larger one is answered ENAMETOOLONG. */
export const MAX_BROKER_REQUEST = 16 * 1024;

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
