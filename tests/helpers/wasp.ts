/**
 * Runs the wasp CLI as a real subprocess and parses its single JSON envelope.
 * @module
 */
import type { Envelope } from "../../src/envelope.ts";

/** The permissions the wasp parent process runs with (as scripts/install.sh grants them). */
export const PARENT_FLAGS = ["--allow-read", "--allow-write", "--allow-run", "--allow-env"];

/**
 * The Deno flags of a wasp parent run with `env`: the pool's Workers (WASP_WALL=pool) are
 * narrowed with deno.permissions and reach Landlock through FFI, so they need two more.
 */
export function parentFlags(env?: Record<string, string>): string[] {
  const pool = env?.WASP_WALL === "pool" ? ["--unstable-worker-options", "--allow-ffi"] : [];
  return [...PARENT_FLAGS, ...pool];
}

/** The repository root (absolute, with a trailing slash). */
export const ROOT = new URL("../../", import.meta.url).pathname;

/** What one CLI invocation produced. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  envelope: Envelope;
}

/** Options of `wasp()`. */
export interface CliOptions {
  env?: Record<string, string>;
  cwd?: string;
  stdin?: Uint8Array;
  /** Fail the test (killing wasp) when the run takes longer (default `DEADLINE_MS`). */
  deadlineMs?: number;
}

/**
 * How long any test waits for one wasp invocation before failing. Generous (the machines are
 * shared and slow) but finite, so that a broken timer fails its test instead of hanging.
 */
export const DEADLINE_MS = 120_000;

/** Awaits `p`, failing with "`what` did not finish within ms" after `ms`. */
export async function withDeadline<T>(p: Promise<T>, what: string, ms = DEADLINE_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The wall this test module's runs use unless their env names one (see `useWall`). */
let wall: "pool" | null = null;

/**
 * Runs every later `wasp()` of this test module through the warm pool (WASP_WALL=pool): the
 * pool_*_test.ts files run the escape matrix, race and hostile-guest tests this way. Each
 * envelope must then name the pool wall.
 */
export function useWall(kind: "pool"): void {
  wall = kind;
}

/**
 * Runs `body` while `child` (wasp run with `args`) lives, killing it (SIGKILL) once it
 * outlives `deadlineMs` (default DEADLINE_MS); then fails the test if it had to be killed.
 */
export async function killedAfter<T>(
  child: Deno.ChildProcess,
  deadlineMs: number | undefined,
  args: string[],
  body: () => Promise<T>,
): Promise<T> {
  const ms = deadlineMs ?? DEADLINE_MS;
  let late = false;
  const timer = setTimeout(() => {
    late = true;
    child.kill("SIGKILL");
  }, ms);
  try {
    return await body();
  } finally {
    clearTimeout(timer);
    if (late) {
      // deno-lint-ignore no-unsafe-finally
      throw new Error(`wasp ${args.join(" ").slice(0, 200)} did not finish within ${ms} ms`);
    }
  }
}

/** Runs `main.ts` with `args`; fails the test unless stdout is exactly one JSON object. */
export async function wasp(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env = wall === null ? options.env : { WASP_WALL: wall, ...options.env };
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", ...parentFlags(env), `${ROOT}main.ts`, ...args],
    cwd: options.cwd,
    env,
    stdin: options.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  });
  const child = cmd.spawn();
  if (options.stdin) {
    const w = child.stdin.getWriter();
    await w.write(options.stdin);
    await w.close();
  }
  const out = await killedAfter(child, options.deadlineMs, args, () => child.output());
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  const lines = stdout.split("\n").filter((l) => l !== "");
  if (lines.length !== 1) {
    throw new Error(
      `expected one JSON line on stdout, got ${lines.length}: ${stdout.slice(0, 500)}\n${stderr}`,
    );
  }
  const envelope = JSON.parse(lines[0]) as Envelope;
  const walled = envelope.policy?.walls?.deno;
  if (env?.WASP_WALL === "pool" && walled !== undefined && walled !== "pool") {
    throw new Error(`WASP_WALL=pool but the run was walled by ${walled}`);
  }
  return { code: out.code, stdout, stderr, envelope };
}

/** Makes a fresh temporary directory tree from a spec of files (path → content). */
export async function tree(files: Record<string, string> = {}): Promise<string> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "wasp-test-" }));
  for (const [path, content] of Object.entries(files)) {
    const full = `${dir}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    if (path.endsWith("/")) continue;
    await Deno.writeTextFile(full, content);
  }
  return dir;
}

/** True when something (even a dangling symlink) exists at `path`. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The lines a guest printed. */
export function lines(text: string): string[] {
  return text.split("\n").filter((l) => l !== "");
}
