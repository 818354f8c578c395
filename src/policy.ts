/**
 * The Policy: everything a run may see, built once at the edge from argv, a manifest or
 * the library API. Code below this point trusts a Policy and never re-parses input.
 * @module
 */
import { type PolicySummary, WaspError } from "./envelope.ts";
import { checkLimits, DEFAULT_LIMITS, type Limits } from "./limits.ts";
import { within } from "./grant_paths.ts";
import { checkModuleFile } from "./module_file.ts";

/** Access mode of a directory grant. */
export type Access = "read-only" | "read-write";

/** The engines a run can use. */
export type EngineName = "wasp" | "wasmer";

/** Where the guest's fd 0 reads from. */
export type StdinSource =
  | { kind: "empty" }
  | { kind: "file"; path: string }
  | { kind: "inherit" }
  | { kind: "bytes"; data: Uint8Array };

/** A directory grant as requested, before it is checked. */
export interface DirRequest {
  /** Host path; relative paths resolve against `PolicyInput.baseDir` (default: cwd). */
  host: string;
  /** Path the guest sees; defaults to `host` exactly as given (wasmtime convention). */
  guest?: string;
  access: Access;
}

/** The unchecked description of a run, as the CLI, a manifest or a library caller gives it. */
export interface PolicyInput {
  module: string;
  /** The guest's argv[0] and the name echoed in `policy.module` (default: `module`). */
  displayName?: string;
  args?: string[];
  env?: Iterable<readonly [string, string]>;
  dirs?: DirRequest[];
  limits?: Partial<Limits>;
  stdin?: StdinSource;
  engine?: EngineName;
  /** Directory that relative paths resolve against (default: the current directory). */
  baseDir?: string;
}

/** A checked directory grant. `host` is absolute and canonical (symlinks resolved). */
export interface DirGrant {
  host: string;
  guest: string;
  access: Access;
}

/** A checked run description. */
export interface Policy {
  /** Absolute path of the module on the host. */
  modulePath: string;
  /** The module as named by the caller; the guest's argv[0]. */
  moduleName: string;
  args: string[];
  env: [string, string][];
  dirs: DirGrant[];
  limits: Limits;
  stdin: StdinSource;
  engine: EngineName;
}

/** Checks a PolicyInput against the host and returns the Policy, or throws a WaspError. */
export function buildPolicy(input: PolicyInput): Policy {
  const base = input.baseDir ?? Deno.cwd();
  const modulePath = absolute(input.module, base);
  checkModuleFile(modulePath, input.module);
  refuseComma(modulePath, `module path ${input.module}`);
  const env = new Map<string, string>();
  for (const [key, value] of input.env ?? []) {
    checkEnvKey(key);
    env.set(key, value);
  }
  const dirs = (input.dirs ?? []).map((d) => checkDir(d, base));
  const seen = new Map<string, string>();
  for (const d of dirs) {
    const prior = seen.get(d.guest);
    if (prior !== undefined) {
      throw new WaspError(
        "policy_error",
        `two grants use the guest path "${d.guest}" (${prior} and ${d.host}); map one elsewhere with HOST::GUEST`,
      );
    }
    seen.set(d.guest, d.host);
  }
  const engine = input.engine ?? "wasp";
  const limits = checkLimits({ ...DEFAULT_LIMITS, ...input.limits });
  if (engine === "wasmer") checkCopiedGrants(dirs);
  if (engine === "wasmer" && limits.maxFileBytes !== null) {
    throw new WaspError(
      "policy_error",
      "the wasmer engine cannot enforce --max-file-size; use the default engine or drop the limit",
    );
  }
  const stdin = input.stdin ?? { kind: "empty" };
  const stdinFile = stdin.kind === "file"
    ? checkStdinFile(absolute(stdin.path, base), stdin.path)
    : null;
  return {
    modulePath,
    moduleName: input.displayName ?? input.module,
    args: [...(input.args ?? [])],
    env: [...env],
    dirs,
    limits,
    stdin: stdinFile !== null ? { kind: "file", path: stdinFile } : stdin,
    engine,
  };
}

/**
 * The wasmer engine copies grants into its virtual filesystem, where guest data lives under
 * /workspace, and syncs read-write ones back: guest paths must lie there, and grants must not
 * overlap on the host (a read-only subtree inside a read-write copy would be synced back).
 */
function checkCopiedGrants(dirs: DirGrant[]): void {
  for (const d of dirs) {
    const parts = d.guest.split("/");
    if (
      !(d.guest === "/workspace" || d.guest.startsWith("/workspace/")) ||
      parts.some((p) => p === "." || p === "..")
    ) {
      throw new WaspError(
        "policy_error",
        `the wasmer engine keeps guest files under /workspace; map ${d.host} with HOST::/workspace/NAME instead of "${d.guest}"`,
      );
    }
  }
  for (const a of dirs) {
    for (const b of dirs) {
      if (a === b) continue;
      if (within(a.host, b.host) || within(a.guest, b.guest)) {
        throw new WaspError(
          "policy_error",
          `the wasmer engine cannot nest grants (${b.host} holds ${a.host}); grant separate directories`,
        );
      }
    }
  }
}

/** The part of a Policy echoed in every envelope: grants, env keys (never values), limits. */
export function summarize(policy: Policy): PolicySummary {
  return {
    module: policy.moduleName,
    dirs: policy.dirs.map((d) => ({ host: d.host, guest: d.guest, access: d.access })),
    env_keys: policy.env.map(([k]) => k),
    limits: {
      timeout_ms: policy.limits.timeoutMs,
      max_memory_bytes: policy.limits.maxMemoryBytes,
      max_output_bytes: policy.limits.maxOutputBytes,
      max_sync_files: policy.limits.maxSyncFiles,
      max_sync_bytes: policy.limits.maxSyncBytes,
      max_file_size_bytes: policy.limits.maxFileBytes,
    },
    engine: policy.engine,
    stdin_file: policy.stdin.kind === "file" ? policy.stdin.path : null,
  };
}

/** Rejects env keys that are empty or contain `=` or NUL. */
export function checkEnvKey(key: string): void {
  if (key === "" || key.includes("=") || key.includes("\0")) {
    throw new WaspError(
      "invalid_argument",
      `environment variable name "${key}" is invalid; use KEY=VALUE with a non-empty KEY without "="`,
    );
  }
}

function checkDir(d: DirRequest, base: string): DirGrant {
  const given = d.host;
  if (given === "") throw new WaspError("policy_error", "a directory grant has an empty path");
  const canonical = existingDirectory(given, base, `granted directory ${given}`);
  const guest = normalizeGuest(d.guest ?? given);
  if (guest === "" || guest.includes("\0")) {
    throw new WaspError("policy_error", `guest path for ${given} must be a non-empty path`);
  }
  return { host: canonical, guest, access: d.access };
}

/**
 * The canonical path of the existing directory `path` (relative to `base`), or a policy_error
 * that names it as `what`. Paths with commas are refused: Deno's flags could not grant them.
 */
export function existingDirectory(path: string, base: string, what: string): string {
  let info: Deno.FileInfo;
  let canonical: string;
  try {
    canonical = Deno.realPathSync(absolute(path, base));
    info = Deno.statSync(canonical);
  } catch (err) {
    const why = err instanceof Deno.errors.NotFound ? "does not exist" : "cannot be read";
    throw new WaspError("policy_error", `${what} ${why}; create it or fix the path`);
  }
  if (!info.isDirectory) {
    throw new WaspError(
      "policy_error",
      `${what} is not a directory; grant its parent directory instead`,
    );
  }
  refuseComma(canonical, what);
  return canonical;
}

/** Deno's permission flags are comma-separated lists: a path with a comma cannot be granted. */
function refuseComma(path: string, what: string): void {
  if (path.includes(",")) {
    throw new WaspError(
      "policy_error",
      `${what} contains a comma, which Deno's permission flags cannot express; rename it`,
    );
  }
}

function normalizeGuest(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") || "/" : path;
}

/** The canonical path of a stdin file (the path the policy names), after checking it. */
function checkStdinFile(path: string, given: string): string {
  try {
    if (!Deno.statSync(path).isFile) throw new Error("not a file");
    return Deno.realPathSync(path);
  } catch {
    throw new WaspError("invalid_argument", `--stdin file ${given} is missing or not a file`);
  }
}

/** Resolves `path` against `base` without touching the file system. */
export function absolute(path: string, base: string): string {
  if (path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path)) return path;
  const joined = `${base.replace(/\/+$/, "")}/${path}`;
  const out: string[] = [];
  for (const part of joined.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}
