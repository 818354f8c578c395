/**
 * The parent's side of the reaper (see reaper.ts): started right after the walled child, in
 * the same synchronous step as its spawn (so that no busy or blocked event loop can delay
 * it), and killed as soon as the run ends so that it never acts unless the parent itself died.
 * @module
 */
import { killQuietly, reaperCommand } from "./child_command.ts";

/** A started reaper. */
export interface Reaper {
  /** Kills the reaper without letting it act. */
  stop(): Promise<void>;
}

/** Starts a reaper for the child at once; `stop()` kills the reaper without letting it act. */
export function startReaper(pid: number): Reaper {
  const cmd = reaperCommand(pid);
  let reaper: Deno.ChildProcess | null;
  try {
    reaper = new Deno.Command(cmd.exec, {
      args: cmd.args,
      env: cmd.env,
      clearEnv: true,
      cwd: "/", // wasp's working directory may have been removed
      stdin: "piped",
      stdout: "null",
      stderr: "null",
    }).spawn();
  } catch {
    reaper = null; // the run goes on with the child's own backstops only
  }
  return {
    async stop() {
      if (reaper === null) return;
      killQuietly(reaper);
      await reaper.status;
    },
  };
}
