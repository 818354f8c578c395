/**
 * The state one guest run shares across syscall families.
 * @module
 */
import type { EngineIo, EngineRequest } from "../mod.ts";
import type { ChangeLog } from "../../report/changes.ts";
import { RunReport } from "../../report/run_report.ts";
import { DIR_INHERITING, DIR_RIGHTS, FDFLAGS, R } from "./constants.ts";
import { FdTable } from "./fd_table.ts";
import { refOf } from "./fs/pin.ts";
import { Grants } from "./grants.ts";
import { GuestMemory, utf8 } from "./memory.ts";
import { NsTimes } from "./times.ts";

/** Rights of fd 0. */
export const STDIN_RIGHTS = R.FD_READ | R.POLL_FD_READWRITE | R.FD_FILESTAT_GET |
  R.FD_FDSTAT_SET_FLAGS;
/** Rights of fd 1 and 2. */
export const OUTPUT_RIGHTS = R.FD_WRITE | R.POLL_FD_READWRITE | R.FD_FILESTAT_GET |
  R.FD_FDSTAT_SET_FLAGS | R.FD_DATASYNC | R.FD_SYNC;

/** Shared state of one WASI instance. */
export class WasiContext {
  /** Guest memory accessors. */
  readonly memory = new GuestMemory();
  /** Descriptor table. */
  readonly fds = new FdTable();
  /** Nanosecond times the guest set, reported while the host still holds them. */
  readonly times = new NsTimes();
  /** Grant lookups for canonical host paths. */
  readonly grants: Grants;
  /** argv, UTF-8 encoded. */
  readonly args: Uint8Array[];
  /** KEY=VALUE strings, UTF-8 encoded. */
  readonly env: Uint8Array[];
  /** Channel to the walled child (output, brokered symlinks). */
  readonly io: EngineIo;
  /** --max-file-size: the largest size a guest write may give a file (null: no limit). */
  readonly maxFileBytes: number | null;
  /** Denials (always), trace and changes of the run (src/report/). */
  readonly report: RunReport;
  /** The change log when the run asked for one (`--changes`), else null. */
  readonly changes: ChangeLog | null;

  constructor(request: EngineRequest, io: EngineIo) {
    this.io = io;
    this.report = io.report ?? new RunReport(request.dirs, request.report);
    this.changes = this.report.changes;
    this.maxFileBytes = request.limits.maxFileBytes ?? null;
    this.grants = new Grants(
      request.dirs,
      request.symlinks,
      request.treeLock === null ? [] : [request.treeLock],
      request.readOnlyPaths,
    );
    this.args = [request.moduleName, ...request.args].map(utf8);
    this.env = request.env.map(([k, v]) => utf8(`${k}=${v}`));
    this.fds.set(0, {
      kind: "stdin",
      data: request.stdin,
      pos: 0,
      rightsBase: STDIN_RIGHTS,
      rightsInheriting: 0,
      fdflags: 0,
    });
    for (const stream of [1, 2] as const) {
      this.fds.set(stream, {
        kind: "output",
        stream,
        rightsBase: OUTPUT_RIGHTS,
        rightsInheriting: 0,
        fdflags: FDFLAGS.APPEND,
      });
    }
    let fd = 3;
    for (const d of request.dirs) {
      this.fds.set(fd++, {
        kind: "dir",
        ...refOf(d.host),
        preopenName: d.guest,
        listing: null,
        rightsBase: DIR_RIGHTS,
        rightsInheriting: DIR_INHERITING,
        fdflags: 0,
      });
    }
  }
}
