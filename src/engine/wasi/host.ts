/**
 * Assembles the `wasi_snapshot_preview1` import object from the syscall families and
 * wraps every call so that host errors become errnos and never escape into the guest.
 * @module
 */
import { type EngineIo, type EngineRequest, StopGuest } from "../mod.ts";
import { WasiContext } from "./context.ts";
import { errnoOf, WasiError } from "./errno.ts";
import { fdIoCalls } from "./sys_fd_io.ts";
import { fdMetaCalls } from "./sys_fd_meta.ts";
import { ExitSignal, miscCalls } from "./sys_misc.ts";
import { pathCalls } from "./sys_path.ts";

export { ExitSignal };

// deno-lint-ignore no-explicit-any
type Syscall = (...args: any[]) => number;

function wrap(fn: Syscall): Syscall {
  return (...args: (number | bigint)[]) => {
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
    this.imports = {};
    for (const [name, fn] of Object.entries(all)) this.imports[name] = wrap(fn);
  }

  /** Closes every host file the guest left open. */
  dispose(): void {
    for (const e of this.context.fds.all()) {
      if (e.kind === "file") {
        try {
          e.file.close();
        } catch {
          // already closed
        }
      }
    }
  }
}
