/**
 * Turning what the parent saw of a child (its result frame, or how it ended) into an Outcome,
 * and an Outcome plus captured output into the envelope.
 * @module
 */
import { type Outcome, timedOut } from "../engine/mod.ts";
import { elapsedMs, type Envelope, oneLine, type Walls } from "../envelope.ts";
import { type Policy, summarize } from "../policy.ts";
import type { OutputBuffer } from "./output_buffer.ts";
import type { ResultMessage } from "./protocol.ts";
import type { ReportData } from "../report/types.ts";
import { reportFields } from "../report/envelope_fields.ts";

/** Why the parent stopped the child itself, if it did. */
export type StopReason = "timeout" | "cancelled" | "sync" | null;

/** How long a sync-back that has begun may take before the parent stops it anyway. */
export const SYNC_GRACE_MS = 60_000;

/** The outcome of a run from the child's result, or from how the child ended without one. */
export function decide(
  result: ResultMessage | null,
  stopped: StopReason,
  status: Deno.CommandStatus,
  childStderr: string,
  policy: Policy,
): Outcome {
  if (result) return result.outcome;
  if (stopped === "timeout") {
    return timedOut(policy.limits.timeoutMs);
  }
  if (stopped === "sync") {
    return {
      kind: "failure",
      errorKind: "timeout",
      message:
        `the wasmer engine's sync-back did not finish within ${SYNC_GRACE_MS} ms (the host stalled it) and was stopped; the read-write grants may hold part of it and .wasp-sync-* temp files`,
      exitCode: null,
    };
  }
  if (status.signal === "SIGXCPU") {
    // the kernel's CPU-time backstop (backstop.ts) stopped a child nobody else stopped
    return {
      kind: "failure",
      errorKind: "timeout",
      message:
        `the guest used up the CPU time allowed for a ${policy.limits.timeoutMs} ms limit and the kernel stopped it`,
      exitCode: null,
    };
  }
  if (stopped === "cancelled") {
    return {
      kind: "failure",
      errorKind: "cancelled",
      message:
        "the run was cancelled (a signal to wasp, or its caller aborted) and the guest was stopped",
      exitCode: null,
    };
  }
  const detail = childStderr.split("\n").find((l) => l.trim() !== "") ??
    `exit status ${status.code}`;
  return {
    kind: "failure",
    errorKind: "internal",
    message: `internal error: the walled child ended without a result (${
      oneLine(detail).slice(0, 300)
    })`,
    exitCode: null,
  };
}

/** Builds the envelope for a finished run. */
export function toEnvelope(
  outcome: Outcome,
  out: OutputBuffer,
  err: OutputBuffer,
  policy: Policy,
  startedAt = 0,
  walls: Walls | null = null,
  report?: ReportData,
): Envelope {
  let exitCode: number | null = null;
  let error: string | null = null;
  let kind: Envelope["error_kind"] = null;
  if (outcome.kind === "exit") {
    exitCode = Math.min(outcome.code, 255);
    if (outcome.code !== 0) {
      kind = "guest_exit";
      const code = exitCode === outcome.code
        ? `${outcome.code}`
        : `${outcome.code} (exit_code says ${exitCode}, the most a process status holds)`;
      error = `the guest exited with code ${code}; see its stderr for why`;
    }
  } else if (outcome.kind === "trap") {
    kind = "trap";
    error = `the guest trapped: ${outcome.message}; this is a bug or a failed check in the guest`;
  } else {
    kind = outcome.errorKind;
    error = outcome.message;
    exitCode = outcome.exitCode;
  }
  const stdout = out.render(policy.outputEncoding);
  const stderr = err.render(policy.outputEncoding);
  return {
    status: kind === null ? "success" : "error",
    exit_code: exitCode,
    execution_time_ms: elapsedMs(startedAt),
    stdout: stdout.text,
    stderr: stderr.text,
    error: error === null ? null : oneLine(error),
    error_kind: kind,
    stdout_truncated: stdout.truncated,
    stderr_truncated: stderr.truncated,
    stdout_lossy: stdout.lossy,
    stderr_lossy: stderr.lossy,
    output_encoding: policy.outputEncoding,
    policy: summarize(policy, walls),
    ...reportFields(report, policy.report),
  };
}
