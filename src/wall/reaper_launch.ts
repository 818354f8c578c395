/**
 * The parent's side of the reaper (see reaper.ts): started once a run has lasted a moment,
 * killed as soon as the run ends so that it never acts unless the parent itself died.
 * @module
 */
import { killQuietly, reaperCommand } from "./child_command.ts";

/** How long a run goes before the parent starts a reaper for it. */
const REAPER_AFTER_MS = 250;

/**
 * Starts a reaper for the child once the run has lasted REAPER_AFTER_MS (short runs never pay for
 * it); `stop()` kills the reaper without letting it act.
 */
export function startReaperLater(pid: number): { stop(): Promise<void> } {
  let reaper: Deno.ChildProcess | null = null;
  const timer = setTimeout(() => {
    const cmd = reaperCommand(pid);
    try {
      reaper = new Deno.Command(cmd.exec, {
        args: cmd.args,
        env: cmd.env,
        clearEnv: true,
        stdin: "piped",
        stdout: "null",
        stderr: "null",
      }).spawn();
    } catch {
      reaper = null; // the run goes on without orphan protection
    }
  }, REAPER_AFTER_MS);
  return {
    async stop() {
      clearTimeout(timer);
      const r = reaper as Deno.ChildProcess | null;
      if (r === null) return;
      killQuietly(r);
      await r.status;
    },
  };
}
