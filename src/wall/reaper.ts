/**
 * The reaper: a tiny process the parent starts with every walled child. It only
 * waits for its stdin to close — which happens when the parent dies, even by SIGKILL, because
 * the parent never closes it itself (it kills the reaper when the run ends) — and then kills
 * the walled child, so that a guest spinning without syscalls is never left running orphaned.
 * It runs wasp's code only, never guest code, with every permission denied but `run` (Deno
 * requires it to signal another process).
 * @module
 */

/** Waits for stdin to close, then kills `pid`. */
export async function reap(pid: number): Promise<void> {
  try {
    for await (const _ of Deno.stdin.readable) {
      // nothing is ever sent; only the end of the stream matters
    }
  } catch {
    // a broken pipe means the same as its end
  }
  // The parent kills this reaper as soon as the run ends, so the pid is the walled child's
  // unless the parent died in the few milliseconds between the child's exit and that kill and
  // the system handed the same pid to a new process meanwhile (Linux assigns pids in order).
  try {
    Deno.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

if (import.meta.main) await reap(Number(Deno.args[0]));
