/**
 * Assembles the `wasi_snapshot_preview1` import object from the syscall families and
 * wraps every call so that host errors become errnos and never escape into the guest.
 * @module
 */
import { type EngineIo, type EngineRequest, StopGuest, timedOut } from "../mod.ts";
import { WasiContext } from "./context.ts";
import { errnoName, errnoOf, WasiError } from "./errno.ts";
import { Denied } from "./denied.ts";
import { closeEntry } from "./fd_table.ts";
import type { DenialLog } from "../../report/denials.ts";
import { watchingWrites } from "../../report/run_report.ts";
import { traced } from "../../report/trace.ts";
import { fdIoCalls } from "./sys_fd_io.ts";
import { fdMetaCalls } from "./sys_fd_meta.ts";
import { ExitSignal, miscCalls } from "./sys_misc.ts";
import { pathCalls } from "./sys_path.ts";

export { ExitSignal };

// deno-lint-ignore no-explicit-any
type Syscall = (...args: any[]) => number;

/** Decodes paths for the trace (a path cut at its limit may end inside a character). */
const lossy = new TextDecoder();

/** Extra time past the limit before the host stops the guest itself. */
const BACKSTOP_GRACE_MS = 2000;

function wrap(
  name: string,
  fn: Syscall,
  deadline: number,
  timeoutMs: number,
  denials: DenialLog,
): Syscall {
  return (...args: (number | bigint)[]) => {
    // Backstop for a parent that died without killing us: the parent normally stops the
    // guest at the limit; if it is gone, the next syscall after the grace period does.
    if (performance.now() > deadline) {
      throw new StopGuest(timedOut(timeoutMs));
    }
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (typeof a === "number") args[i] = a >>> 0;
    }
    try {
      return fn(...args);
    } catch (err) {
      if (err instanceof WasiError) {
        if (err instanceof Denied) denials.refused(name, errnoName(err.errno), err.refusal);
        return err.errno;
      }
      if (err instanceof ExitSignal || err instanceof StopGuest) throw err;
      return errnoOf(err);
    }
  };
}

/** A WASI preview1 instance: its context and the import object to instantiate with. */
export class WasiHost {
  /** Shared state (memory, fd table, grants). */
  readonly context: WasiContext;
  /** The `wasi_snapshot_preview1` namespace. */
  readonly imports: Record<string, Syscall>;

  constructor(request: EngineRequest, io: EngineIo) {
    this.context = new WasiContext(request, io);
    const all: Record<string, Syscall> = {
      ...fdIoCalls(this.context),
      ...fdMetaCalls(this.context),
      ...pathCalls(this.context),
      ...miscCalls(this.context),
    };
    const { timeoutMs } = request.limits;
    const deadline = timeoutMs > 0 ? performance.now() + timeoutMs + BACKSTOP_GRACE_MS : Infinity;
    let imports: Record<string, Syscall> = {};
    const { report } = this.context;
    for (const [name, fn] of Object.entries(all)) {
      imports[name] = wrap(name, fn, deadline, timeoutMs, report.denials);
    }
    // only runs that ask pay for the change log and the trace: the calls are wrapped
    if (report.changes !== null) {
      watchingWrites(imports, report.changes, (fd) => {
        const e = this.context.fds.peek(fd);
        return e?.kind === "file" ? e.host : null;
      });
    }
    if (report.trace !== null) {
      const mem = this.context.memory;
      imports = traced(imports, report.trace, {
        text: (ptr, len) => {
          try {
            return lossy.decode(mem.bytes(ptr, len));
          } catch {
            return null;
          }
        },
        resultName: errnoName,
        thrownName: (err) => err instanceof ExitSignal ? `exit ${err.code}` : "stopped",
      });
    }
    this.imports = imports;
  }

  /** Closes every host file the guest left open. */
  dispose(): void {
    for (const e of this.context.fds.all()) closeEntry(e);
  }
}
