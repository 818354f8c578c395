/**
 * Helpers of the cold-start benchmark: the per-phase breakdown of a `wasp run` (from the
 * `WASP_PHASES` line it prints with WASP_PHASES=1, see src/phases.ts) and the peak resident
 * size of a process and its descendants (Linux, read from /proc while it runs).
 * @module
 */
import { median } from "./stats.ts";

/** Phase name → duration (ms) of one run: time from the previous phase's end to its own. */
export function phaseDurations(stderr: string): Map<string, number> | null {
  const line = stderr.split("\n").find((l) => l.startsWith("WASP_PHASES "));
  if (!line) return null;
  const marks = (JSON.parse(line.slice("WASP_PHASES ".length)) as [string, number][])
    .sort((a, b) => a[1] - b[1]);
  const out = new Map<string, number>();
  for (let i = 1; i < marks.length; i++) out.set(marks[i][0], marks[i][1] - marks[i - 1][1]);
  out.set("total", marks[marks.length - 1][1] - marks[0][1]);
  return out;
}

/** Prints the median of each phase over `runs`, in the order phases happen. */
export function printPhases(runs: Map<string, number>[]): void {
  if (runs.length === 0) return;
  console.log(`  phases of wasp run (median of ${runs.length}, each from the previous one's end):`);
  for (const name of runs[0].keys()) {
    const xs = runs.map((r) => r.get(name)).filter((x): x is number => x !== undefined);
    console.log(`    ${name.padEnd(34)} ${median(xs).toFixed(1).padStart(6)} ms`);
  }
}

function hwm(pid: number): number | null {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const kb = /VmHWM:\s+(\d+) kB/.exec(status);
    return kb ? Number(kb[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function children(pid: number): number[] {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/)
      .filter((s) => s !== "").map(Number);
  } catch {
    return [];
  }
}

/** What one run of a process tree used: peak resident bytes, summed. */
export interface TreeUsage {
  rss: number;
}

/**
 * Runs `args` under `Deno.execPath()` and returns, summed over the process and its
 * descendants, each one's peak resident size (VmHWM), last read about every millisecond
 * while it ran (a process's last millisecond may be missed).
 */
export async function peakRssOfTree(
  args: string[],
  env: Record<string, string>,
): Promise<TreeUsage> {
  const child = new Deno.Command(Deno.execPath(), { args, env, stdout: "null", stderr: "null" })
    .spawn();
  const peaks = new Map<number, number>();
  let done = false;
  child.status.then(() => done = true);
  while (!done) {
    const pending = [child.pid];
    while (pending.length > 0) {
      const pid = pending.pop()!;
      const now = hwm(pid);
      if (now !== null) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, now));
      pending.push(...children(pid));
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  return { rss: sum(peaks) };
}
