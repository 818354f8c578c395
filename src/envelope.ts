/**
 * The JSON envelope: the single object wasp prints for every run.
 * @module
 */

/** Every value `error_kind` can take besides `null`. */
export type ErrorKind =
  | "invalid_argument"
  | "module_not_found"
  | "invalid_module"
  | "invalid_manifest"
  | "policy_error"
  | "guest_exit"
  | "trap"
  | "timeout"
  | "memory_limit"
  | "output_limit"
  | "cancelled"
  | "internal";

/** Every error kind, in the order the envelope schema lists them. */
export const ERROR_KINDS: readonly ErrorKind[] = [
  "invalid_argument",
  "module_not_found",
  "invalid_module",
  "invalid_manifest",
  "policy_error",
  "guest_exit",
  "trap",
  "timeout",
  "memory_limit",
  "output_limit",
  "cancelled",
  "internal",
];

import type { ReportFields } from "./report/envelope_fields.ts";

/** How `stdout` and `stderr` carry the guest's bytes. */
export type OutputEncoding = "utf8" | "base64";

/** The effective grants of a run, as echoed in the envelope (env values never appear). */
export interface PolicySummary {
  module: string;
  /** SHA-256 (hex) of the exact module bytes the guest ran from. */
  module_sha256: string;
  /** Each guest path with the access it really has at its root (overlaps resolved). */
  dirs: { host: string; guest: string; access: "read-only" | "read-write" }[];
  env_keys: string[];
  /** Where the guest's stdin came from: nothing, wasp's own stdin, a host file, or bytes. */
  stdin: { source: "empty" | "pipe" | "bytes" } | { source: "file"; path: string };
  limits: {
    timeout_ms: number;
    max_memory_bytes: number;
    max_output_bytes: number;
    max_stdin_bytes: number;
    max_sync_files: number;
    max_sync_bytes: number;
    max_file_size_bytes: number | null;
  };
  engine: string;
  /** What a guest may do with symlinks. */
  symlinks: "inside" | "deny";
  /** Directories inside read-write grants that stay read-only (absent when none). */
  read_only_within?: string[];
  /** The walls in force for the run (absent when it never reached a walled child). */
  walls?: Walls;
  /** The language runtime the module is (`wasp python`: CPython's name, version, SHA-256). */
  runtime?: { name: string; version: string; sha256: string };
}

/** The walls that confined a run. */
export interface Walls {
  /** wasp's own WASI checks (wall 1); false for engines that virtualise files themselves. */
  wasi: boolean;
  /**
   * How the Deno permissions of wall 2 were applied: a walled process, a Worker in a walled
   * process, or a single-use Worker in a warm pool that shares the serving process.
   */
  deno: "process" | "worker" | "pool";
  /** The kernel wall: the Landlock ABI in force, or null and why not. */
  landlock: { abi: number; reason?: undefined } | { abi: null; reason: string };
}

/**
 * The stable result object of `run`, `sample run` and `task run`. The report fields
 * (`denials` always; `trace`, `changes` when asked for) follow `policy`.
 */
export interface Envelope extends ReportFields {
  status: "success" | "error";
  exit_code: number | null;
  execution_time_ms: number;
  stdout: string;
  stderr: string;
  error: string | null;
  error_kind: ErrorKind | null;
  stdout_truncated: boolean;
  stderr_truncated: boolean;
  /** True when stdout was not valid UTF-8 and invalid bytes were replaced (utf8 encoding only). */
  stdout_lossy: boolean;
  /** True when stderr was not valid UTF-8 and invalid bytes were replaced (utf8 encoding only). */
  stderr_lossy: boolean;
  /** How `stdout`/`stderr` encode the guest's bytes: UTF-8 text, or base64 of the raw bytes. */
  output_encoding: OutputEncoding;
  policy: PolicySummary | null;
}

/** An error that wasp reports as data: it becomes an envelope with this kind and message. */
export class WaspError extends Error {
  /** The envelope `error_kind` this failure maps to. */
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = "WaspError";
    this.kind = kind;
  }
}

/**
 * wasp's own process exit status for an envelope: 0 ok, 1 the guest failed or was stopped
 * (including a cancelled run), 2 refused, 3 internal.
 */
export function exitStatusFor(envelope: Envelope): number {
  switch (envelope.error_kind) {
    case null:
      return 0;
    case "guest_exit":
    case "trap":
    case "timeout":
    case "memory_limit":
    case "output_limit":
    case "cancelled":
      return 1;
    case "internal":
      return 3;
    default:
      return 2;
  }
}

/**
 * Whole milliseconds since `startedAt` (a `performance.now()` reading; 0, the default, is the
 * start of this process — right for the CLI, where the invocation is the process).
 */
export function elapsedMs(startedAt = 0): number {
  return Math.max(0, Math.round(performance.now() - startedAt));
}

/** Builds the envelope for a failure that happened before or instead of running the guest. */
export function refusal(
  kind: ErrorKind,
  message: string,
  policy: PolicySummary | null = null,
  startedAt = 0,
): Envelope {
  return {
    status: "error",
    exit_code: null,
    execution_time_ms: elapsedMs(startedAt),
    stdout: "",
    stderr: "",
    error: oneLine(message),
    error_kind: kind,
    stdout_truncated: false,
    stderr_truncated: false,
    stdout_lossy: false,
    stderr_lossy: false,
    output_encoding: "utf8",
    policy,
    denials: [],
    denials_dropped: 0,
  };
}

/** Turns any thrown value into an envelope; unknown errors become `internal`. */
export function envelopeFromError(
  err: unknown,
  policy: PolicySummary | null = null,
  startedAt = 0,
): Envelope {
  if (err instanceof WaspError) return refusal(err.kind, err.message, policy, startedAt);
  const text = err instanceof Error ? err.message : String(err);
  return refusal(
    "internal",
    `internal error: ${text}; please report this with the command that caused it`,
    policy,
    startedAt,
  );
}

/** Squeezes a message onto one line so that `error` is always a single sentence. */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, " ").trim();
}
