/**
 * Termination signals sent to wasp (Ctrl-C, `kill`, a closing terminal) cancel the run: the
 * walled child is killed instead of being orphaned, and the envelope still gets printed.
 * @module
 */

const SIGNALS: Deno.Signal[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** An AbortSignal that fires on SIGINT, SIGTERM or SIGHUP (where the OS supports them). */
export function cancelOnSignals(): AbortSignal {
  const controller = new AbortController();
  for (const sig of SIGNALS) {
    try {
      Deno.addSignalListener(sig, () => controller.abort(sig));
    } catch {
      // not supported on this OS (Windows knows only SIGINT and SIGBREAK)
    }
  }
  return controller.signal;
}
