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

/**
 * Whether some thread of process `pid` is blocked reading its stdin (Linux: a `read`, x86_64
 * or arm64 numbering, in /proc/PID/task/TID/syscall, on fd 0 or a copy of it; Deno reads its
 * stdin through a duplicate).
 */
export async function readingStdin(pid: number): Promise<boolean> {
  const readCall = Deno.build.arch === "aarch64" ? 63 : 0;
  const stdin = await Deno.readLink(`/proc/${pid}/fd/0`);
  for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
    try {
      const [nr, fd] = (await Deno.readTextFile(`/proc/${pid}/task/${task.name}/syscall`))
        .trim().split(" ");
      if (Number(nr) !== readCall) continue;
      if (await Deno.readLink(`/proc/${pid}/fd/${Number(fd)}`) === stdin) return true;
    } catch {
      // the thread or the descriptor went away meanwhile
    }
  }
  return false;
}
