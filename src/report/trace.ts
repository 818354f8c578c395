/**
 * The host-call trace (`--trace`): every WASI call the guest makes, with its arguments (paths
 * decoded from guest memory), its result and the time spent in the host — the model is
 * wazero's host logging. Capped: the first and the last calls are kept, the middle is
 * counted (`trace_dropped`), and each entry's `seq` shows where the gap is. Only runs that
 * ask pay for it: the import object is wrapped, the host code is untouched.
 * @module
 */
import type { TraceEntry } from "./types.ts";

/** Calls kept from the start of a run. */
export const TRACE_HEAD = 500;
/** Calls kept from the end of a run. */
export const TRACE_TAIL = 500;

/** Most bytes of a path argument shown in a trace entry. */
export const MAX_TRACE_PATH = 256;

/** Where each path-taking call has its (pointer, length) pairs, by argument index. */
const PATH_ARGS: Record<string, number[]> = {
  path_open: [2],
  path_filestat_get: [2],
  path_filestat_set_times: [2],
  path_create_directory: [1],
  path_unlink_file: [1],
  path_remove_directory: [1],
  path_readlink: [1],
  path_rename: [1, 4],
  path_link: [2, 5],
  path_symlink: [0, 3],
};

/** The trace of one run. */
export class TraceLog {
  readonly #head: TraceEntry[] = [];
  readonly #tail: TraceEntry[] = [];
  #tailAt = 0;
  #seq = 0;

  /** Appends one call. */
  push(call: string, args: string, result: string, us: number): void {
    const entry = { seq: this.#seq++, call, args, result, us };
    if (this.#head.length < TRACE_HEAD) {
      this.#head.push(entry);
    } else if (this.#tail.length < TRACE_TAIL) {
      this.#tail.push(entry);
    } else {
      this.#tail[this.#tailAt] = entry;
      this.#tailAt = (this.#tailAt + 1) % TRACE_TAIL;
    }
  }

  /** The kept calls in order, and how many were left out between head and tail. */
  data(): { trace: TraceEntry[]; trace_dropped: number } {
    const tail = [...this.#tail.slice(this.#tailAt), ...this.#tail.slice(0, this.#tailAt)];
    const kept = this.#head.length + tail.length;
    return { trace: [...this.#head, ...tail], trace_dropped: this.#seq - kept };
  }
}

// deno-lint-ignore no-explicit-any
type Syscall = (...args: any[]) => number;

/** How the trace reads guest memory and names results. */
export interface TraceSource {
  /** The UTF-8 string at (ptr, len) in guest memory, or null when it cannot be read. */
  text(ptr: number, len: number): string | null;
  /** `ok` for success, else the errno's name. */
  resultName(errno: number): string;
  /** What ended the guest when a call threw (`exit`, `stop`). */
  thrownName(err: unknown): string;
}

function summarize(name: string, args: unknown[], src: TraceSource): string {
  const paths = PATH_ARGS[name] ?? [];
  const parts: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (paths.includes(i)) {
      const len = Number(args[i + 1]) >>> 0;
      const text = src.text(Number(args[i]) >>> 0, Math.min(len, MAX_TRACE_PATH));
      const shown = text === null
        ? `<bad path ${args[i]}+${args[i + 1]}>`
        : JSON.stringify(text) + (len > MAX_TRACE_PATH ? `... (${len} bytes)` : "");
      parts.push(shown);
      i++;
    } else {
      const a = args[i];
      parts.push(String(typeof a === "number" ? a >>> 0 : a));
    }
  }
  return parts.join(", ");
}

/** Wraps every import so that each call lands in `log`. */
export function traced(
  imports: Record<string, Syscall>,
  log: TraceLog,
  src: TraceSource,
): Record<string, Syscall> {
  const out: Record<string, Syscall> = {};
  for (const [name, fn] of Object.entries(imports)) {
    out[name] = (...args: unknown[]) => {
      const summary = summarize(name, args, src);
      const t0 = performance.now();
      try {
        const r = fn(...args);
        log.push(name, summary, src.resultName(r), Math.round((performance.now() - t0) * 1000));
        return r;
      } catch (err) {
        log.push(name, summary, src.thrownName(err), Math.round((performance.now() - t0) * 1000));
        throw err;
      }
    };
  }
  return out;
}
