/**
 * The exact command line and environment of the walled child (wall 2). Pure: it computes
 * flags from a Policy and never spawns anything, so tests can inspect and reuse it.
 * @module
 */
import { WaspError } from "../envelope.ts";
import { within } from "../grant_paths.ts";
import type { PolicyBase } from "../policy.ts";
import { denoDir } from "../deno_dir.ts";
import { findLibc } from "./landlock.ts";
import { treeLockPath } from "./tree_lock.ts";
import { bundledChild } from "./child_bundle.ts";

/** A process to spawn. */
export interface ChildCommand {
  exec: string;
  args: string[];
  /** The complete environment; the host environment is cleared. */
  env: Record<string, string>;
}

/** Spawns a child command with piped stdio and nothing of the host environment. */
export function spawnChild(cmd: ChildCommand): Deno.ChildProcess {
  return new Deno.Command(cmd.exec, {
    args: cmd.args,
    env: cmd.env,
    clearEnv: true,
    // not wasp's working directory, which a guest may have removed (Deno cannot start there);
    // every path the child is given is absolute
    cwd: "/",
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Sends SIGKILL to a process that may already be gone. */
export function killQuietly(process: Deno.ChildProcess): void {
  try {
    process.kill("SIGKILL");
  } catch {
    // already gone
  }
}

/**
 * The default child entry module for `engine`, next to this file: for the wasp engine, its
 * bundle while that matches the sources (child_bundle.ts), else child_main.ts.
 */
export function defaultEntry(engine = "wasp"): URL {
  if (engine === "wasmer") return new URL("./child_wasmer.ts", import.meta.url);
  return bundledChild() ?? new URL("./child_main.ts", import.meta.url);
}

/**
 * The parent's config and lockfile, passed on so the child resolves exactly the packages the
 * parent cached (a child without the lockfile would need registry metadata it cannot fetch).
 */
export function configArgs(entry: URL): string[] {
  if (entry.protocol !== "file:") return ["--no-config"];
  const config = decodeURIComponent(new URL("../../deno.json", import.meta.url).pathname);
  const lock = decodeURIComponent(new URL("../../deno.lock", import.meta.url).pathname);
  try {
    Deno.statSync(config);
    Deno.statSync(lock);
    return [`--config=${config}`, `--lock=${lock}`, "--frozen"];
  } catch {
    return ["--no-config"];
  }
}

function entryArg(entry: URL): string {
  return entry.protocol === "file:" ? decodeURIComponent(entry.pathname) : entry.href;
}

/** The read, write and deny-write path lists of a policy. */
export function permissionPaths(
  policy: PolicyBase,
  extraReads: string[] = [],
): { read: string[]; write: string[]; denyWrite: string[] } {
  const rw = policy.dirs.filter((d) => d.access === "read-write").map((d) => d.host);
  const ro = policy.dirs.filter((d) => d.access === "read-only").map((d) => d.host);
  const lock = treeLockPath();
  return {
    read: [
      policy.modulePath,
      ...policy.dirs.map((d) => d.host),
      ...extraReads,
      ...(lock === null ? [] : [lock]),
    ],
    write: rw,
    // a read-only grant nested in a read-write one must stay read-only for Deno too
    denyWrite: [...ro, ...policy.readOnlyPaths].filter((p) => rw.some((w) => within(p, w))),
  };
}

/** Files an engine's own runtime must read besides the grants (the wasmer SDK's wasm). */
export async function engineReads(policy: PolicyBase): Promise<string[]> {
  if (policy.engine !== "wasmer") return [];
  // a computed specifier: not loaded at start-up by runs of the wasp engine (compile.ts)
  const deps = new URL("../deps.ts", import.meta.url).href;
  const { wasmerRuntimeWasmPath } = (await import(deps)) as {
    wasmerRuntimeWasmPath(): Promise<string>;
  };
  return [await wasmerRuntimeWasmPath()];
}

/**
 * How the guest is walled: Deno flags on a child process, a narrowed Worker in a child
 * process, or a narrowed single-use Worker of a warm pool in this process (src/pool/).
 */
export type WallKind = "process" | "worker" | "pool";

/**
 * The wall a run uses unless told otherwise: a compiled binary ignores runtime flags, so it
 * must use the worker wall; under `deno run`, WASP_WALL=worker selects it for testing.
 * Any other value of WASP_WALL but "process" (or empty) is refused, never ignored.
 */
export function defaultWall(): WallKind {
  if (Deno.build.standalone) return "worker";
  let wall: string | undefined;
  try {
    wall = Deno.env.get("WASP_WALL");
  } catch {
    return "process"; // no permission to read it: it cannot have been meant for us
  }
  if (wall === "worker" || wall === "pool") return wall;
  if (wall === undefined || wall === "" || wall === "process") return "process";
  throw new WaspError(
    "invalid_argument",
    `WASP_WALL must be "process", "worker" or "pool", not "${wall}"; unset it for the default`,
  );
}

/** The kernel wall a run asks for: the C library to reach Landlock through, or why none. */
export interface KernelPlan {
  libc: string | null;
  why: string | null;
}

/**
 * Whether this run gets the kernel wall. `WASP_KERNEL_WALL=off` switches it off; it exists
 * so that the tests can show what walls 1 and 2 hold on their own.
 */
export function kernelPlan(): KernelPlan {
  let setting: string | undefined;
  try {
    setting = Deno.env.get("WASP_KERNEL_WALL");
  } catch {
    setting = undefined;
  }
  if (setting === "off") return { libc: null, why: "switched off by WASP_KERNEL_WALL=off" };
  if (Deno.build.os !== "linux") return { libc: null, why: `not available on ${Deno.build.os}` };
  const libc = findLibc();
  if (libc === null || libc.includes(",")) {
    return { libc: null, why: "the C library to reach Landlock through was not found" };
  }
  return { libc, why: null };
}

/** Options of `childCommand`. */
export interface ChildCommandOptions {
  /** The child entry module (default child_main.ts; tests substitute a probe). */
  entry?: URL;
  /** Files the engine's own runtime must read. */
  extraReads?: string[];
  wall?: WallKind;
  /** The kernel wall's C library, which the child alone may load (default: none). */
  libc?: string | null;
}

function childEnv(): Record<string, string> {
  const env: Record<string, string> = { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };
  const dir = denoDir();
  if (dir) env.DENO_DIR = dir;
  return env;
}

/** `deno run --quiet --no-prompt FLAGS MODULE ARGS` in wasp's cleared child environment. */
function denoRun(flags: string[], module: URL, ...args: string[]): ChildCommand {
  return {
    exec: Deno.execPath(),
    args: ["run", "--quiet", "--no-prompt", ...flags, entryArg(module), ...args],
    env: childEnv(),
  };
}

/** A compiled wasp binary re-spawned with one of its hidden subcommands. */
function selfCommand(...args: string[]): ChildCommand {
  return { exec: Deno.execPath(), args, env: childEnv() };
}

/** The command of the reaper that kills `pid` if the parent dies (see reaper.ts). */
export function reaperCommand(pid: number): ChildCommand {
  if (Deno.build.standalone) return selfCommand("__wasp_reaper", String(pid));
  return denoRun(
    [
      "--no-config",
      "--cached-only",
      "--allow-run",
      "--deny-read",
      "--deny-write",
      "--deny-net",
      "--deny-env",
      "--deny-ffi",
      "--deny-sys",
    ],
    new URL("./reaper.ts", import.meta.url),
    String(pid),
  );
}

/**
 * The command of a run's broker process (see broker_process.ts): unscoped read and write,
 * which Deno's symlink demands, and FFI for the C library alone, through which it confines
 * itself with Landlock to the read-write grants before serving.
 */
export function brokerCommand(libc: string): ChildCommand {
  if (Deno.build.standalone) return selfCommand("__wasp_broker");
  return denoRun(
    [
      "--no-config",
      "--cached-only",
      "--allow-read",
      "--allow-write",
      `--allow-ffi=${libc}`,
      "--deny-net",
      "--deny-env",
      "--deny-run",
      "--deny-sys",
    ],
    new URL("./broker_process.ts", import.meta.url),
  );
}

/** Builds the walled child's command for `policy`. */
export function childCommand(policy: PolicyBase, options: ChildCommandOptions = {}): ChildCommand {
  const entry = options.entry ?? defaultEntry(policy.engine);
  const { read, write, denyWrite } = permissionPaths(policy, options.extraReads ?? []);
  const remote = entry.protocol !== "file:";
  const loader = [
    // only the wasmer engine resolves npm packages; the default child skips config and lock
    ...(policy.engine === "wasmer" ? configArgs(entry) : ["--no-config"]),
    // the child never fetches code: everything it runs is already in Deno's cache
    "--cached-only",
    ...(remote ? [] : ["--no-remote"]),
  ];
  const libc = options.libc ?? null;
  if ((options.wall ?? defaultWall()) === "worker") {
    const grants = JSON.stringify({ read, write, ffi: libc, entry: entry.href });
    if (Deno.build.standalone) return selfCommand("__wasp_child", grants);
    // The host process gets what a compiled wasp binary has; the Worker gets only the grants.
    return denoRun(
      [
        ...loader,
        "--unstable-worker-options",
        "--allow-read",
        "--allow-write",
        "--allow-run",
        "--allow-env",
        ...(libc === null ? [] : [`--allow-ffi=${libc}`]),
      ],
      new URL("./worker_host.ts", import.meta.url),
      grants,
    );
  }
  return denoRun([
    ...loader,
    `--allow-read=${read.join(",")}`,
    ...(write.length > 0 ? [`--allow-write=${write.join(",")}`] : []),
    ...(denyWrite.length > 0 ? [`--deny-write=${denyWrite.join(",")}`] : []),
    "--deny-env",
    "--deny-net",
    "--deny-run",
    // the child loads libc alone, to put up the kernel wall, and then revokes FFI
    libc === null ? "--deny-ffi" : `--allow-ffi=${libc}`,
    "--deny-sys",
  ], entry);
}
