/**
 * Small helpers shared by the benchmarks.
 * @module
 */

/** The median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Milliseconds `fn` takes. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** The value of `--runs N`, or `fallback`. */
export function runsArg(fallback: number): number {
  const i = Deno.args.indexOf("--runs");
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}
