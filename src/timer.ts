/**
 * Timers for the cold path. Deno's global `setTimeout` and `setInterval` load Node's timers
 * (and part of its compatibility layer) on first use, which costs a cold `wasp run` 15–25 ms
 * on the benchmark machine; `AbortSignal.timeout` is served by Deno's core timers and costs
 * under a millisecond. A pending timer keeps the process alive, as a `setTimeout` does; a
 * cancelled one does not (a library host exits once its runs are over).
 * @module
 */

/**
 * Calls `fn` once, `ms` from now, unless the returned function is called first. A pending
 * call keeps the process alive (Deno keeps a timeout signal alive while it has a listener);
 * a cancelled one does not: its listener is removed.
 */
export function after(ms: number, fn: () => void): () => void {
  const signal = AbortSignal.timeout(Math.max(0, ms));
  const fire = () => fn();
  signal.addEventListener("abort", fire, { once: true });
  return () => signal.removeEventListener("abort", fire);
}

/** Calls `fn` every `ms` until the returned function is called. */
export function every(ms: number, fn: () => void): () => void {
  let stop = after(ms, function tick() {
    stop = after(ms, tick);
    fn();
  });
  return () => stop();
}
