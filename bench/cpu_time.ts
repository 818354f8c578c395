/**
 * CPU time of a whole process tree, measured by `perf stat -e task-clock` (Linux): the CPU
 * milliseconds every thread of the process and of all its descendants used, counted by the
 * kernel, not sampled. Unlike wall time it hardly moves with the machine's load, so its ratio
 * is the steadier figure on a shared machine. Null where perf cannot count (not installed, or
 * perf events not allowed).
 * @module
 */

/** CPU ms (task-clock) used by `Deno.execPath() ...args` and its descendants, or null. */
export async function taskClockOfTree(
  args: string[],
  env: Record<string, string>,
): Promise<number | null> {
  const out = await Deno.makeTempFile({ prefix: "wasp-bench-perf-" });
  try {
    const run = await new Deno.Command("perf", {
      args: ["stat", "-x", ",", "-e", "task-clock", "-o", out, "--", Deno.execPath(), ...args],
      env,
      stdout: "null",
      stderr: "null",
    }).output();
    if (!run.success) return null;
    // CSV lines: value,unit,event,...
    const line = (await Deno.readTextFile(out)).split("\n").find((l) => l.includes("task-clock"));
    const ms = line ? Number(line.split(",")[0]) : NaN;
    return Number.isFinite(ms) ? ms : null;
  } catch {
    return null;
  } finally {
    await Deno.remove(out).catch(() => {});
  }
}
