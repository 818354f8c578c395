/**
 * Assembles the `wasi_snapshot_preview1` import object from the syscall families and
 * wraps every call so that host errors become errnos and never escape into the guest.
 * @module
 */
import { type EngineIo, type EngineRequest, StopGuest, timedOut } from "../mod.ts";
import { WasiContext } from "./context.ts";
import { errnoOf, WasiError } from "./errno.ts";
import { closeEntry } from "./fd_table.ts";
import { fdIoCalls } from "./sys_fd_io.ts";
import { fdMetaCalls } from "./sys_fd_meta.ts";
import { ExitSignal, miscCalls } from "./sys_misc.ts";
import { pathCalls } from "./sys_path.ts";

export { ExitSignal };

// deno-lint-ignore no-explicit-any
type Syscall = (...args: any[]) => number;

/** Extra time past the limit before the host stops the guest itself. */
const BACKSTOP_GRACE_MS = 2000;

function wrap(fn: Syscall, deadline: number, timeoutMs: number): Syscall {
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
      if (err instanceof WasiError) return err.errno;
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
    this.imports = {};
    for (const [name, fn] of Object.entries(all)) {
      this.imports[name] = wrap(fn, deadline, timeoutMs);
    }
  }

  /** Closes every host file the guest left open. */
  dispose(): void {
    for (const e of this.context.fds.all()) closeEntry(e);
  }
}
