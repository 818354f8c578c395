/**
 * The report's envelope fields: `denials` and `denials_dropped` always; `trace`,
 * `trace_dropped`, `changes` and `changes_dropped` only when the run asked for them — so
 * today's consumers see one new field and nothing else changes.
 * @module
 */
import type { Change, Denial, ReportData, ReportWanted, TraceEntry } from "./types.ts";

/** The envelope's report fields. */
export interface ReportFields {
  /** Refusals the host made on the guest's behalf (always present). */
  denials: Denial[];
  /** Denials past the cap, counted only. */
  denials_dropped: number;
  /** `--trace`: the host calls (null when the run was stopped before it could report). */
  trace?: TraceEntry[] | null;
  trace_dropped?: number;
  /** `--changes`: what changed in read-write grants (null when not known, as for trace). */
  changes?: Change[] | null;
  changes_dropped?: number;
}

/**
 * The envelope fields for `report` (undefined: the child sent none — it was stopped at the
 * timeout or cancelled, or it failed; the trace and changes are then null, not known).
 */
export function reportFields(
  report: ReportData | undefined,
  wanted: ReportWanted,
): ReportFields {
  const out: ReportFields = {
    denials: report?.denials ?? [],
    denials_dropped: report?.denials_dropped ?? 0,
  };
  if (wanted.trace) {
    out.trace = report?.trace ?? null;
    out.trace_dropped = report?.trace_dropped ?? 0;
  }
  if (wanted.changes) {
    out.changes = report?.changes ?? null;
    out.changes_dropped = report?.changes_dropped ?? 0;
  }
  return out;
}
