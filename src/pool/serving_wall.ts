/**
 * The serving process's own wall. `wasp serve` and `wasp mcp` (with the pool) do not serve
 * from the process the user started: that one re-spawns wasp as the serving process, with
 * Deno permissions cut down to the ceiling, and only waits for it and relays signals. The
 * serving process may read the ceiling's directories, wasp's code and Deno's cache, write only
 * the ceiling's read-write directories, its scratch directory and the tree lock's, load only
 * the C library (its Workers put up Landlock through it), run only Deno (the symlink broker),
 * and read only the environment variables that locate those caches; no network, no system
 * information. Its Workers can only narrow that.
 * @module
 */
import type { Ceiling } from "../mcp/ceiling.ts";
import { denoDir } from "../deno_dir.ts";
import { findLibc } from "../wall/landlock.ts";
import { treeLockPath } from "../wall/tree_lock.ts";
import { configArgs } from "../wall/child_command.ts";

/** What the serving process is told on its command line. */
export interface ServingConfig {
  kind: "serve" | "mcp";
  aliases: [string, { host: string; access: "read-only" | "read-write" }][];
  env: [string, string | null][];
  moduleDirs: string[];
  timeoutMs: number;
  maxMemoryBytes: number;
  maxOutputBytes: number;
  maxConcurrency: number;
  /** The directory relative request paths resolve against (the user's working directory). */
  baseDir: string;
  /** The serving process's scratch directory (samples, script copies). */
  scratch: string;
}

/** Environment variables the serving process may read (they only locate wasp's caches). */
const ENV_KEYS = ["DENO_DIR", "HOME", "XDG_CACHE_HOME", "WASP_KERNEL_WALL"];

/** The ceiling, back from its command-line form. */
export function ceilingOf(config: ServingConfig): Ceiling {
  return {
    wall: "pool",
    aliases: new Map(config.aliases),
    env: new Map(config.env),
    moduleDirs: config.moduleDirs,
    timeoutMs: config.timeoutMs,
    maxMemoryBytes: config.maxMemoryBytes,
    maxOutputBytes: config.maxOutputBytes,
    maxConcurrency: config.maxConcurrency,
  };
}

function mainModule(): string {
  const main = new URL("../../main.ts", import.meta.url);
  return main.protocol === "file:" ? decodeURIComponent(main.pathname) : main.href;
}

/** Paths that Deno's flags cannot list (a comma separates entries). */
function listable(paths: (string | null | undefined)[]): string[] {
  return [...new Set(paths.filter((p): p is string => !!p && !p.includes(",")))];
}

/** Starts the walled serving process with this process's stdio and waits for it to end. */
export async function serveWalled(kind: "serve" | "mcp", ceiling: Ceiling): Promise<number> {
  const scratch = await Deno.makeTempDir({ prefix: "wasp-serve-" });
  const config: ServingConfig = {
    kind,
    aliases: [...ceiling.aliases],
    env: [...ceiling.env],
    moduleDirs: ceiling.moduleDirs,
    timeoutMs: ceiling.timeoutMs,
    maxMemoryBytes: ceiling.maxMemoryBytes,
    maxOutputBytes: ceiling.maxOutputBytes,
    maxConcurrency: ceiling.maxConcurrency,
    baseDir: Deno.cwd(),
    scratch,
  };
  // the Python runtime's stripped copy is made here, where Deno's cache is writable
  await import(new URL("../runtimes/python_runtime.ts", import.meta.url).href)
    .then((m: { pythonModulePath(): Promise<string> }) => m.pythonModulePath())
    .catch(() => {});
  const lock = treeLockPath();
  const lockDir = lock === null ? null : lock.slice(0, lock.lastIndexOf("/"));
  const dirs = [...ceiling.aliases.values()];
  const code = decodeURIComponent(new URL("../../", import.meta.url).pathname).replace(/\/$/, "");
  const libc = findLibc();
  const exec = Deno.execPath();
  const read = listable([
    code,
    denoDir(),
    exec,
    lockDir,
    scratch,
    libc,
    ...dirs.map((d) => d.host),
    ...ceiling.moduleDirs,
  ]);
  const write = listable([
    scratch,
    lockDir,
    ...dirs.filter((d) => d.access === "read-write").map((d) => d.host),
  ]);
  // temporary files (assembled samples, script copies) go to the scratch directory
  const env: Record<string, string> = { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", TMPDIR: scratch };
  for (const key of ENV_KEYS) {
    const value = Deno.env.get(key);
    if (value !== undefined) env[key] = value;
  }
  const dir = denoDir();
  if (dir) env.DENO_DIR = dir;
  const flags = [
    "run",
    "--quiet",
    "--no-prompt",
    ...configArgs(new URL("../../main.ts", import.meta.url)),
    "--cached-only",
    "--unstable-worker-options",
    `--allow-read=${read.join(",")}`,
    `--allow-write=${write.join(",")}`,
    ...(libc === null ? ["--deny-ffi"] : [`--allow-ffi=${libc}`]),
    `--allow-run=${exec}`,
    `--allow-env=${ENV_KEYS.join(",")}`,
    "--deny-net",
    "--deny-sys",
    mainModule(),
    "__wasp_serving",
    JSON.stringify(config),
  ];
  const child = new Deno.Command(exec, {
    args: flags,
    env,
    clearEnv: true,
    cwd: scratch,
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  // a signal to this process is passed on; the serving process cancels its runs and ends
  const relays: [Deno.Signal, () => void][] = [];
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as Deno.Signal[]) {
    const relay = () => {
      try {
        child.kill(sig);
      } catch {
        // already gone
      }
    };
    try {
      Deno.addSignalListener(sig, relay);
      relays.push([sig, relay]);
    } catch {
      // not on this OS
    }
  }
  try {
    const status = await child.status;
    return status.code;
  } finally {
    for (const [sig, relay] of relays) Deno.removeSignalListener(sig, relay);
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}
