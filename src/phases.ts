/**
 * Phase timestamps for `deno task bench`: with WASP_PHASES=1 in its environment, the wasp CLI
 * prints one `WASP_PHASES {json}` line to stderr at exit, with when each phase of the run
 * ended in the parent and in the walled child (ms since the epoch; both processes use the
 * same clock). Off by default, and then nothing but a few clock readings happens.
 * @module
 */

/** One phase's end: its name and when (ms since the epoch). */
export type PhaseMark = [name: string, at: number];

const marks: PhaseMark[] = [];

/** Milliseconds since the epoch, to sub-millisecond precision, comparable across processes. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Records that the phase `name` ended now (or at `at`). */
export function markPhase(name: string, at = epochMs()): void {
  marks.push([name, at]);
}

/** Records phases measured elsewhere (the walled child's). */
export function addPhases(list: PhaseMark[] | undefined): void {
  if (Array.isArray(list)) marks.push(...list);
}

/** Whether WASP_PHASES=1 asks for the report (never prompts for the permission). */
export function phasesWanted(): boolean {
  try {
    const state = Deno.permissions.querySync({ name: "env", variable: "WASP_PHASES" }).state;
    return state === "granted" && Deno.env.get("WASP_PHASES") === "1";
  } catch {
    return false;
  }
}

/** Prints the report line to stderr when it was asked for. */
export function reportPhases(): void {
  if (!phasesWanted()) return;
  markPhase("parent: envelope written");
  const report = [["parent: process start", performance.timeOrigin], ...marks];
  const line = `WASP_PHASES ${JSON.stringify(report)}\n`;
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(line));
  } catch {
    // nobody listens
  }
}
