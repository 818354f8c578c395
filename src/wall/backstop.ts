/**
 * The kernel's backstop for a walled child, independent of wasp's parent process, its event
 * loop and its reaper:
 *
 * - a parent-death signal (`prctl(PR_SET_PDEATHSIG, SIGKILL)`): when the wasp process that
 *   spawned the child dies — even by SIGKILL — the kernel kills the child. If the parent
 *   died before the signal was armed (the child's parent is not the expected pid any more),
 *   the child kills itself at once;
 * - a CPU-time limit (`RLIMIT_CPU`) derived from the run's time limit: a guest that spins
 *   while nobody watches (a parent whose event loop is stuck) is stopped by the kernel with
 *   SIGXCPU (then SIGKILL a second later), which the parent reports as a timeout.
 *   `RLIMIT_CORE` is set to 0 so that SIGXCPU never writes a core file.
 *
 * It runs during the child's set-up, while it may still call libc (see landlock.ts), with a
 * library handle the caller opened with BACKSTOP_SYMBOLS among its symbols.
 * @module
 */

/** The libc symbols the backstop calls; merge them into the caller's `Deno.dlopen` table. */
export const BACKSTOP_SYMBOLS = {
  prctl: { parameters: ["i32", "u64", "u64", "u64", "u64"], result: "i32" },
  getppid: { parameters: [], result: "i32" },
  setrlimit: { parameters: ["i32", "buffer"], result: "i32" },
  raise: { parameters: ["i32"], result: "i32" },
} as const;

/** The functions of an opened libc the backstop uses. */
export type BackstopLibc = Deno.DynamicLibrary<typeof BACKSTOP_SYMBOLS>["symbols"];

const PR_SET_PDEATHSIG = 1;
const SIGKILL = 9;
const RLIMIT_CPU = 0;
const RLIMIT_CORE = 4;

/** What the backstop armed. */
export interface Backstop {
  /** The kernel kills this process when its parent dies. */
  parentDeathSignal: boolean;
  /** Seconds of CPU time after which the kernel stops this process (null: no limit set). */
  cpuSeconds: number | null;
}

/**
 * CPU seconds a run with `timeoutMs` may use before the kernel steps in: twice its wall-clock
 * limit plus 5 s (Deno's start-up and compiler threads also count), so the parent's own timer
 * always acts first while it is alive and free. Null for runs without a time limit.
 */
export function cpuBudgetSeconds(timeoutMs: number): number | null {
  return timeoutMs > 0 ? Math.ceil(timeoutMs / 1000) * 2 + 5 : null;
}

function setLimit(libc: BackstopLibc, resource: number, soft: number, hard: number): boolean {
  const value = new BigUint64Array([BigInt(soft), BigInt(hard)]);
  return libc.setrlimit(resource, new Uint8Array(value.buffer)) === 0;
}

/**
 * Arms the backstop for this process: parent-death SIGKILL (checked against `parentPid`, the
 * pid of the wasp process that spawned it) and, when `cpuSeconds` is given, the CPU limit.
 * Never throws; a part the kernel refused is reported as not armed.
 */
export function armBackstop(
  libc: BackstopLibc,
  parentPid: number,
  cpuSeconds: number | null,
): Backstop {
  const parentDeathSignal = libc.prctl(PR_SET_PDEATHSIG, BigInt(SIGKILL), 0n, 0n, 0n) === 0;
  if (parentDeathSignal && libc.getppid() !== parentPid) {
    // the parent died before the signal was armed: nobody will ever read this child's result
    libc.raise(SIGKILL);
  }
  let cpu: number | null = null;
  if (cpuSeconds !== null) {
    setLimit(libc, RLIMIT_CORE, 0, 0);
    if (setLimit(libc, RLIMIT_CPU, cpuSeconds, cpuSeconds + 1)) cpu = cpuSeconds;
  }
  return { parentDeathSignal, cpuSeconds: cpu };
}
