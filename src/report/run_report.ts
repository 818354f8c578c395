/**
 * A run's report as the walled child keeps it: the denial log (always), the trace and the
 * change log (when asked for), and what it all becomes in the RESULT frame.
 * @module
 */
import type { DirGrant } from "../policy.ts";
import { ChangeLog, type StateReader } from "./changes.ts";
import { DenialLog } from "./denials.ts";
import { TraceLog } from "./trace.ts";
import type { ReportData, ReportWanted } from "./types.ts";

/** Nothing optional asked for: denials only. */
export const DENIALS_ONLY: ReportWanted = { trace: false, changes: false };

/** The report of one run. */
export class RunReport {
  /** Refusals on the guest's behalf. */
  readonly denials: DenialLog;
  /** Every host call, or null when the run did not ask (`--trace`). */
  readonly trace: TraceLog | null;
  /** What changed in read-write grants, or null when the run did not ask (`--changes`). */
  readonly changes: ChangeLog | null;

  constructor(dirs: readonly DirGrant[], wanted: ReportWanted = DENIALS_ONLY) {
    this.denials = new DenialLog(dirs);
    this.trace = wanted.trace ? new TraceLog() : null;
    this.changes = wanted.changes ? new ChangeLog(dirs) : null;
  }

  /** The report for the RESULT frame; `read` gives the final state of changed entries. */
  async data(read: StateReader): Promise<ReportData> {
    const out: ReportData = this.denials.data();
    if (this.trace !== null) Object.assign(out, this.trace.data());
    if (this.changes !== null) Object.assign(out, await this.changes.data(read));
    return out;
  }
}

// deno-lint-ignore no-explicit-any
type Syscall = (...args: any[]) => number;

/** The fd calls that change a file's contents, with their arities. */
const WRITES: [string, number][] = [
  ["fd_write", 4],
  ["fd_pwrite", 5],
  ["fd_allocate", 3],
  ["fd_filestat_set_size", 2],
];

/**
 * Wraps the calls that change a file through a descriptor so that each success is recorded
 * as a modification of the file `fileOf(fd)` names (null for anything but a host file). The
 * wrappers take fixed arguments (no rest arrays): fd_write runs once per guest write.
 */
export function watchingWrites(
  imports: Record<string, Syscall>,
  changes: ChangeLog,
  fileOf: (fd: number) => string | null,
): void {
  const done = (fd: number, r: number): number => {
    if (r === 0) {
      const host = fileOf(fd >>> 0);
      if (host !== null) changes.modified(host);
    }
    return r;
  };
  for (const [name, arity] of WRITES) {
    const fn = imports[name];
    if (fn === undefined) continue;
    imports[name] = arity === 2
      ? (a: number, b: unknown) => done(a, fn(a, b))
      : arity === 3
      ? (a: number, b: unknown, c: unknown) => done(a, fn(a, b, c))
      : arity === 4
      ? (a: number, b: unknown, c: unknown, d: unknown) => done(a, fn(a, b, c, d))
      : (a: number, b: unknown, c: unknown, d: unknown, e: unknown) => done(a, fn(a, b, c, d, e));
  }
}
