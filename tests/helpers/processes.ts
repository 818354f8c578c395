/**
 * Finding wasp's walled children among the machine's processes, under either wall.
 * @module
 */

/**
 * A pgrep pattern for the walled child of a run of `module`: the process wall names the module
 * in --allow-read, the worker wall in the grants it hands its Worker.
 */
export function childPattern(module: string): string {
  return `(allow-read=${module}|worker_host\\.ts .*${module})`;
}

/** Pids of the walled children running `module`. */
export async function walledChildren(module: string): Promise<number[]> {
  const out = await new Deno.Command("pgrep", { args: ["-f", childPattern(module)] }).output();
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== "").map(Number);
}

/** How many walled children are running `module`. */
export async function countWalledChildren(module: string): Promise<number> {
  return (await walledChildren(module)).length;
}

/** Polls `cond` until it holds; fails the test after `ms` milliseconds. */
export async function until(
  cond: () => Promise<boolean>,
  what: string,
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
