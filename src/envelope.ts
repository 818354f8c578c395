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
  | "internal";

/** The effective grants of a run, as echoed in the envelope (env values never appear). */
export interface PolicySummary {
  module: string;
  dirs: { host: string; guest: string; access: "read-only" | "read-write" }[];
  env_keys: string[];
  limits: {
    timeout_ms: number;
    max_memory_bytes: number;
    max_output_bytes: number;
    max_sync_files: number;
    max_sync_bytes: number;
    max_file_size_bytes: number | null;
  };
  engine: string;
  /** The host file the guest's stdin is read from, or null when it is not a file. */
  stdin_file: string | null;
}

/** The stable result object of `run`, `sample run` and `task run`. */
export interface Envelope {
  status: "success" | "error";
  exit_code: number | null;
  execution_time_ms: number;
  stdout: string;
  stderr: string;
  error: string | null;
  error_kind: ErrorKind | null;
  stdout_truncated: boolean;
  stderr_truncated: boolean;
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

/** wasp's own process exit status for an envelope (0 ok, 1 guest failed, 2 refused, 3 internal). */
export function exitStatusFor(envelope: Envelope): number {
  switch (envelope.error_kind) {
    case null:
      return 0;
    case "guest_exit":
    case "trap":
    case "timeout":
    case "memory_limit":
    case "output_limit":
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
    policy,
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
