/**
 * Timers for the cold path. Deno's global `setTimeout` and `setInterval` load Node's timers
 * (and part of its compatibility layer) on first use, which costs a cold `wasp run` 15–25 ms
 * on the benchmark machine; `AbortSignal.timeout` is served by Deno's core timers and costs
 * under a millisecond. These timers do not keep the process alive on their own: a run always
 * has the child's output to wait for while its timers matter.
 * @module
 */

/** Calls `fn` once, `ms` from now, unless the returned function is called first. */
export function after(ms: number, fn: () => void): () => void {
  let pending: (() => void) | null = fn;
  AbortSignal.timeout(Math.max(0, ms)).addEventListener("abort", () => {
    const call = pending;
    pending = null;
    call?.();
  }, { once: true });
  return () => {
    pending = null;
  };
}

/** Calls `fn` every `ms` until the returned function is called. */
export function every(ms: number, fn: () => void): () => void {
  let stop = after(ms, function tick() {
    stop = after(ms, tick);
    fn();
  });
  return () => stop();
}
