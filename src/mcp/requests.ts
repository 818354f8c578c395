/**
 * Tool arguments → a run, checked against the operator's ceiling. Anything an agent asks for
 * beyond the ceiling is refused with a `policy_error` naming what was refused.
 * @module
 */
import { WaspError } from "../envelope.ts";
import { within } from "../grant_paths.ts";
import { DEFAULT_LIMITS } from "../limits.ts";
import { type Manifest, parseManifest } from "../manifest.ts";
import { absolute, type DirRequest, type EngineName, type PolicyInput } from "../policy.ts";
import { findSample } from "../samples/registry.ts";
import type { Ceiling } from "./ceiling.ts";

/** One mount an agent asks for. */
export interface MountRequest {
  alias: string;
  guest?: string;
  mode?: "ro" | "rw";
}

/** The arguments of the `wasp_run` tool. */
export interface RunArgs {
  module: string;
  args?: string[];
  stdin?: string;
  env?: Record<string, string>;
  mounts?: MountRequest[];
  timeout_ms?: number;
  max_memory_bytes?: number;
  max_output_bytes?: number;
  /** Add every host call to the envelope. */
  trace?: boolean;
  /** Add what the run changed in read-write mounts to the envelope. */
  changes?: boolean;
}

/** What a manifest may set beyond the `wasp_run` arguments. */
export interface TaskExtras {
  engine?: EngineName;
  max_sync_files?: number;
  max_sync_bytes?: number;
}

/** The arguments of the `wasp_python` tool: those of `wasp_run` with `code` for `module`. */
export interface PythonArgs extends Omit<RunArgs, "module"> {
  code: string;
}

/** A checked run: a sample by name, a module file, or Python code (`python`). */
export interface RunPlan {
  sample: string | null;
  input: PolicyInput;
  /** The program of a `wasp_python` call (then `input.module` is unused). */
  python?: string;
}

function refuse(message: string): never {
  throw new WaspError("policy_error", message);
}

function checkModule(ceiling: Ceiling, module: string): { sample: string | null; path: string } {
  if (module.startsWith("sample:")) {
    const name = module.slice("sample:".length);
    findSample(name);
    return { sample: name, path: "" };
  }
  if (ceiling.moduleDirs.length === 0) {
    refuse(`module files are not allowed by this server (no --module-dir); use sample:<name>`);
  }
  const path = absolute(module, ceiling.moduleDirs[0]);
  let real: string;
  try {
    real = Deno.realPathSync(path);
  } catch {
    // a path that leads out (by "..") is named as such, whether or not it can be looked at
    const lexical = path.startsWith("/") ? absolute(`.${path}`, "/") : path;
    if (!ceiling.moduleDirs.some((d) => within(lexical, d) && lexical !== d)) {
      refuse(`module ${module} is outside every module directory this server allows`);
    }
    throw new WaspError(
      "module_not_found",
      `module ${module} does not exist in the module directories`,
    );
  }
  if (!ceiling.moduleDirs.some((d) => within(real, d) && real !== d)) {
    refuse(`module ${module} is outside every module directory this server allows`);
  }
  return { sample: null, path: real };
}

function checkEnv(ceiling: Ceiling, env: Record<string, string> = {}): [string, string][] {
  const out = new Map<string, string>();
  for (const [k, v] of ceiling.env) if (v !== null) out.set(k, v);
  for (const [k, v] of Object.entries(env)) {
    if (!ceiling.env.has(k)) refuse(`env key ${k} is not allowed by this server`);
    if (typeof v !== "string") refuse(`env value for ${k} must be a string`);
    out.set(k, v);
  }
  return [...out];
}

function checkMounts(ceiling: Ceiling, mounts: MountRequest[] = []): DirRequest[] {
  return mounts.map((m) => {
    if (m.mode !== undefined && m.mode !== "ro" && m.mode !== "rw") {
      // the schema check refuses this first; never let an unknown mode mean read-write
      throw new WaspError("invalid_argument", `mount mode must be "ro" or "rw", not ${m.mode}`);
    }
    const grant = ceiling.aliases.get(m.alias);
    if (!grant) refuse(`mount alias ${m.alias} was not declared by the operator`);
    if (m.mode === "rw" && grant.access === "read-only") {
      refuse(`mount alias ${m.alias} is read-only; it cannot be mounted read-write`);
    }
    const guest = m.guest ?? `/${m.alias}`;
    if (!guest.startsWith("/") || guest.split("/").some((p) => p === "..")) {
      refuse(`guest path ${guest} must be absolute and must not contain ..`);
    }
    const access = m.mode === "ro" || grant.access === "read-only" ? "read-only" : "read-write";
    return { host: grant.host, guest, access };
  });
}

function checkLimit(name: string, asked: number | undefined, ceiling: number): number {
  if (asked === undefined) return ceiling;
  if (!Number.isSafeInteger(asked) || asked <= 0) refuse(`${name} must be a positive integer`);
  if (asked > ceiling) refuse(`${name} ${asked} is above this server's ceiling of ${ceiling}`);
  return asked;
}

/** A copying-engine limit: at most wasp's default, which is this server's ceiling for it. */
function checkSyncLimit(name: string, asked: number | undefined, ceiling: number): number {
  if (asked === undefined) return ceiling;
  if (!Number.isSafeInteger(asked) || asked < 0) refuse(`${name} must be a whole number`);
  if (asked > ceiling) refuse(`${name} ${asked} is above this server's ceiling of ${ceiling}`);
  return asked;
}

/** Checks `wasp_run` arguments (and a manifest's extras) against the ceiling. */
export function planRun(
  ceiling: Ceiling,
  args: RunArgs,
  extras: TaskExtras = {},
  withModule = true,
): RunPlan {
  if (typeof args?.module !== "string" || args.module === "") {
    throw new WaspError("invalid_argument", "module is required: sample:<name> or a module path");
  }
  const { sample, path } = withModule
    ? checkModule(ceiling, args.module)
    : { sample: null, path: "" };
  const dirs = checkMounts(ceiling, args.mounts);
  const input: PolicyInput = {
    module: path,
    displayName: sample ?? args.module,
    args: args.args ?? [],
    env: checkEnv(ceiling, args.env),
    dirs,
    // the operator's read-only aliases stay read-only inside a mounted read-write one
    readOnlyPaths: [...ceiling.aliases.values()]
      .filter((a) => a.access === "read-only")
      .map((a) => a.host),
    stdin: args.stdin === undefined
      ? { kind: "empty" }
      : { kind: "bytes", data: new TextEncoder().encode(args.stdin) },
    limits: {
      timeoutMs: checkLimit("timeout_ms", args.timeout_ms, ceiling.timeoutMs),
      maxMemoryBytes: checkLimit("max_memory_bytes", args.max_memory_bytes, ceiling.maxMemoryBytes),
      maxOutputBytes: checkLimit("max_output_bytes", args.max_output_bytes, ceiling.maxOutputBytes),
      maxSyncFiles: checkSyncLimit(
        "max_sync_files",
        extras.max_sync_files,
        DEFAULT_LIMITS.maxSyncFiles,
      ),
      maxSyncBytes: checkSyncLimit(
        "max_sync_bytes",
        extras.max_sync_bytes,
        DEFAULT_LIMITS.maxSyncBytes,
      ),
    },
    engine: extras.engine ?? "wasp",
    trace: args.trace === true,
    changes: args.changes === true,
  };
  return { sample, input };
}

/** Checks `wasp_python` arguments against the ceiling, exactly as `wasp_run`'s are. */
export function planPython(ceiling: Ceiling, args: PythonArgs): RunPlan {
  if (typeof args?.code !== "string" || args.code === "") {
    throw new WaspError("invalid_argument", "code is required: the Python program");
  }
  const { code, ...rest } = args;
  const { input } = planRun(ceiling, { ...rest, module: "sample:python" }, {}, false);
  return { sample: null, input, python: code };
}

function aliasOf(ceiling: Ceiling, name: string, field: string): string {
  if (!ceiling.aliases.has(name)) {
    refuse(
      `manifest field ${field} must name a mount alias declared by the operator, not a host path ("${name}")`,
    );
  }
  return name;
}

/** Checks a `wasp_run_task` manifest against the ceiling: paths in it are mount aliases. */
export function planTask(ceiling: Ceiling, manifest: unknown): RunPlan {
  const m: Manifest = parseManifest(manifest, "(tool argument)");
  if (m.kind === "python") {
    refuse(
      'manifest kind "python" is not served by wasp_run_task; run Python with the CLI\'s "wasp python" or "wasp task run"',
    );
  }
  if (m.stdin !== undefined) {
    refuse("manifest field stdin names a host file; pass stdin to wasp_run");
  }
  const limits = {
    timeout_ms: m.limits?.timeout_ms,
    max_memory_bytes: m.limits?.max_memory_bytes,
    max_output_bytes: m.limits?.max_output_bytes,
  };
  const mounts: MountRequest[] = m.kind === "sample"
    ? (m.workspace === undefined ? [] : [{ alias: aliasOf(ceiling, m.workspace, "workspace") }])
    : (m.allow_dirs ?? []).map((d, i) => ({
      alias: aliasOf(ceiling, d.path, `allow_dirs[${i}].path`),
      guest: d.guest,
      mode: d.access === "read-only" ? "ro" : d.access === "read-write" ? "rw" : undefined,
    }));
  return planRun(ceiling, {
    module: m.kind === "sample" ? `sample:${m.sample}` : m.module,
    args: m.args,
    env: m.env,
    mounts,
    ...limits,
    trace: m.trace,
    changes: m.changes,
  }, {
    engine: m.engine,
    max_sync_files: m.limits?.max_sync_files,
    max_sync_bytes: m.limits?.max_sync_bytes,
  });
}
