/**
 * The Policy: everything a run may see, built once at the edge from argv, a manifest or
 * the library API. Code below this point trusts a Policy and never re-parses input.
 * @module
 */
import { type OutputEncoding, type PolicySummary, type Walls, WaspError } from "./envelope.ts";
import { checkLimits, DEFAULT_LIMITS, type Limits } from "./limits.ts";
import { accessAt, within } from "./grant_paths.ts";
import { denoDir } from "./deno_dir.ts";
import {
  type CheckedModule,
  checkModuleFile,
  type ModuleFile,
  readCheckedModule,
  readCheckedModuleAsync,
} from "./module_file.ts";
import { copyPolicyInput } from "./policy_input.ts";
import type { ReportWanted } from "./report/types.ts";

/** Access mode of a directory grant. */
export type Access = "read-only" | "read-write";

/** The engines a run can use. */
export type EngineName = "wasp" | "wasmer";

/** Where the guest's fd 0 reads from. */
export type StdinSource =
  | { kind: "empty" }
  | {
    kind: "file";
    path: string;
    /** The file's identity when it was checked (set by buildPolicy; the read must match). */
    identity?: { dev: number; ino: number };
  }
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
  /** Whether the guest may create symlinks that stay inside their grant (default) or none. */
  symlinks?: SymlinkMode;
  /**
   * Host directories that stay read-only even inside a read-write grant (an MCP server's
   * read-only aliases within a mounted read-write one). Deno's cache and wasp's own code are
   * always added.
   */
  readOnlyPaths?: string[];
  /** Directory that relative paths resolve against (default: the current directory). */
  baseDir?: string;
  /** How the envelope carries guest output: UTF-8 text (default) or base64 of the raw bytes. */
  outputEncoding?: OutputEncoding;
  /** Add every host call to the envelope (`trace`; default false). */
  trace?: boolean;
  /** Add what the run changed in read-write grants to the envelope (`changes`; default false). */
  changes?: boolean;
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
  /** The module's bytes, read once when the policy was built; the guest runs exactly these. */
  moduleBytes: Uint8Array;
  /** SHA-256 (hex) of `moduleBytes`. */
  moduleSha256: string;
  args: string[];
  env: [string, string][];
  dirs: DirGrant[];
  limits: Limits;
  stdin: StdinSource;
  engine: EngineName;
  symlinks: SymlinkMode;
  outputEncoding: OutputEncoding;
  /** Canonical host directories inside read-write grants that stay read-only. */
  readOnlyPaths: string[];
  /** What the envelope reports besides denials: the host-call trace, the changes. */
  report: ReportWanted;
}

/** What a guest may do with symlinks: create those that stay inside their grant, or none. */
export type SymlinkMode = "inside" | "deny";

/**
 * A Policy whose module has been checked without being opened (it exists, is a regular file,
 * is not too large) but not read yet: `readModule` completes it.
 */
export type CheckedPolicy = PolicyBase & { module: CheckedModule };

/** All of a Policy but its module's bytes and hash: what the walled child's command needs. */
export type PolicyBase = Omit<Policy, "moduleBytes" | "moduleSha256">;

/**
 * Checks a PolicyInput (its shape first: it may come from an untyped library caller) against
 * the host and returns the Policy, or throws a WaspError.
 */
export function buildPolicy(untrusted: PolicyInput): Policy {
  return readModule(checkPolicy(untrusted));
}

/**
 * Reads the module of a checked policy once (src/module_file.ts): the Policy runs exactly
 * these bytes. Throws invalid_module when the file is not a core wasm module or was replaced.
 */
export function readModule(checked: CheckedPolicy): Policy {
  return withBytes(checked, readCheckedModule(checked.module));
}

/** The Policy a checked one becomes with its module's bytes and hash. */
function withBytes(checked: CheckedPolicy, module: ModuleFile): Policy {
  const { module: _checked, ...rest } = checked;
  return { ...rest, moduleBytes: module.bytes, moduleSha256: module.sha256 };
}

/** `policy` with its module's bytes: as it is when it has them, else read now (`readModule`). */
export function withModule(policy: Policy | CheckedPolicy): Policy {
  return "moduleBytes" in policy ? policy : readModule(policy);
}

/**
 * How long (ms) a run waits at most for its module's open while the path still names the
 * checked file, beyond its own time limit: only a file system that hangs, or a host-side
 * swapper that puts a FIFO in place and the file back, makes an open wait that long.
 */
export const MODULE_OPEN_WAIT_MS = 10_000;

/**
 * `withModule` for runs: the module is read with Deno's API alone (no Node compatibility
 * layer to load, see src/module_file.ts). Reading does not count against the run's time
 * limit; an open or read that blocks is given up after that limit or MODULE_OPEN_WAIT_MS,
 * whichever is longer, or as soon as `signal` (the run's cancellation) aborts.
 */
export async function withModuleAsync(
  policy: Policy | CheckedPolicy,
  signal?: AbortSignal,
): Promise<Policy> {
  if ("moduleBytes" in policy) return policy;
  const wait = AbortSignal.timeout(Math.max(policy.limits.timeoutMs, MODULE_OPEN_WAIT_MS));
  const stop = signal === undefined ? wait : AbortSignal.any([wait, signal]);
  return withBytes(policy, await readCheckedModuleAsync(policy.module, stop));
}

/**
 * Everything `buildPolicy` checks but the module's contents: `run()` reads those while the
 * walled child starts.
 */
export function checkPolicy(untrusted: PolicyInput): CheckedPolicy {
  const input = copyPolicyInput(untrusted);
  const base = input.baseDir ?? workingDirectory;
  const modulePath = absolute(input.module, base);
  const module = checkModuleFile(modulePath, input.module);
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
  const readOnlyPaths = readOnlyWithin(dirs, [...(input.readOnlyPaths ?? []), ...ownPaths()]);
  if (engine === "wasmer" && readOnlyPaths.length > 0) {
    throw new WaspError(
      "policy_error",
      `the wasmer engine copies grants whole and cannot keep ${
        readOnlyPaths[0]
      } read-only inside a read-write grant; grant a narrower directory or use the default engine`,
    );
  }
  if (engine === "wasmer" && limits.maxFileBytes !== null) {
    throw new WaspError(
      "policy_error",
      "the wasmer engine cannot enforce --max-file-size; use the default engine or drop the limit",
    );
  }
  let stdin = input.stdin ?? { kind: "empty" };
  if (stdin.kind === "file") {
    stdin = checkStdinFile(absolute(stdin.path, base), stdin.path, limits);
  }
  if (stdin.kind === "bytes" && stdin.data.length > limits.maxStdinBytes) {
    throw stdinTooLarge(limits.maxStdinBytes);
  }
  return {
    modulePath,
    moduleName: input.displayName ?? input.module,
    module,
    args: input.args ?? [],
    env: [...env],
    dirs,
    limits,
    stdin,
    engine,
    symlinks: checkSymlinkMode(input.symlinks ?? "inside"),
    outputEncoding: input.outputEncoding ?? "utf8",
    readOnlyPaths,
    report: { trace: input.trace === true, changes: input.changes === true },
  };
}

/**
 * Deno's module cache and wasp's own code: a guest must never change what a later wasp run
 * loads, even when a read-write grant happens to contain them (a home directory, say).
 */
function ownPaths(): string[] {
  const out: string[] = [];
  const dir = denoDir();
  if (dir) out.push(dir);
  const self = new URL("../", import.meta.url);
  if (self.protocol === "file:") out.push(decodeURIComponent(self.pathname).replace(/\/$/, ""));
  return out;
}

/** The canonical forms of `paths` that lie inside a read-write grant (others need nothing). */
function readOnlyWithin(dirs: DirGrant[], paths: string[]): string[] {
  const out = new Set<string>();
  for (const path of paths) {
    let real: string;
    try {
      real = Deno.realPathSync(path);
    } catch {
      continue;
    }
    if (dirs.some((d) => d.access === "read-write" && within(real, d.host))) out.add(real);
  }
  return [...out];
}

function checkSymlinkMode(mode: string): SymlinkMode {
  if (mode === "inside" || mode === "deny") return mode;
  throw new WaspError(
    "invalid_argument",
    `symlink rule "${mode}" is unknown; use "inside" (links that stay in their grant) or "deny"`,
  );
}

/** The refusal for stdin beyond `--max-stdin`. */
export function stdinTooLarge(cap: number): WaspError {
  return new WaspError(
    "invalid_argument",
    `stdin is larger than the ${cap}-byte cap; raise --max-stdin (at most 1gb) or put the data in a granted directory`,
  );
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

/**
 * The part of a Policy echoed in every envelope: the module's hash, grants with the access
 * each guest path really has (when grants overlap, the innermost grant on the host decides,
 * and one directory granted both ways is read-only), env keys (never values), stdin, limits.
 */
export function summarize(policy: Policy, walls: Walls | null = null): PolicySummary {
  const s = policy.stdin;
  return {
    module: policy.moduleName,
    module_sha256: policy.moduleSha256,
    dirs: policy.dirs.map((d) => ({
      host: d.host,
      guest: d.guest,
      access: accessAt(policy.dirs, d.host) ?? d.access,
    })),
    env_keys: policy.env.map(([k]) => k),
    stdin: s.kind === "file"
      ? { source: "file", path: s.path }
      : { source: s.kind === "inherit" ? "pipe" : s.kind },
    limits: {
      timeout_ms: policy.limits.timeoutMs,
      max_memory_bytes: policy.limits.maxMemoryBytes,
      max_output_bytes: policy.limits.maxOutputBytes,
      max_stdin_bytes: policy.limits.maxStdinBytes,
      max_sync_files: policy.limits.maxSyncFiles,
      max_sync_bytes: policy.limits.maxSyncBytes,
      max_file_size_bytes: policy.limits.maxFileBytes,
    },
    engine: policy.engine,
    symlinks: policy.symlinks,
    ...(policy.readOnlyPaths.length > 0 ? { read_only_within: policy.readOnlyPaths } : {}),
    ...(walls === null ? {} : { walls }),
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

function checkDir(d: DirRequest, base: Base): DirGrant {
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
export function existingDirectory(path: string, base: Base, what: string): string {
  const full = absolute(path, base);
  let info: Deno.FileInfo;
  let canonical: string;
  try {
    canonical = Deno.realPathSync(full);
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

/**
 * A stdin file must exist, be a regular file (checked without opening it: a FIFO or device is
 * never opened) and fit the stdin cap; it is read, bounded, when the run starts. Returns the
 * source with its canonical path and identity: the read refuses any other file found there.
 */
function checkStdinFile(path: string, given: string, limits: Limits): StdinSource {
  let info: Deno.FileInfo;
  let canonical: string;
  try {
    canonical = Deno.realPathSync(path);
    info = Deno.statSync(canonical);
  } catch {
    throw new WaspError(
      "invalid_argument",
      `--stdin file ${given} does not exist or cannot be read`,
    );
  }
  if (!info.isFile) {
    throw new WaspError(
      "invalid_argument",
      `--stdin file ${given} is not a regular file; for a pipe or device use "--stdin - < ${given}"`,
    );
  }
  if (info.size > limits.maxStdinBytes) throw stdinTooLarge(limits.maxStdinBytes);
  const identity = info.dev !== null && info.ino !== null
    ? { dev: info.dev, ino: info.ino }
    : undefined;
  return { kind: "file", path: canonical, identity };
}

/** A directory to resolve relative paths against, or what gives it when one is needed. */
export type Base = string | (() => string);

/**
 * The process's working directory, for relative paths. A long-lived host can lose it (a guest
 * may remove a directory inside its read-write grant, and that may be the host's working
 * directory): a path that needs it is then refused, and absolute paths still work.
 */
export function workingDirectory(): string {
  try {
    return Deno.cwd();
  } catch {
    throw new WaspError(
      "policy_error",
      "wasp's working directory no longer exists, so a relative path cannot be resolved; give absolute paths (or baseDir)",
    );
  }
}

/** Resolves `path` against `base` without touching the file system. */
export function absolute(path: string, base: Base): string {
  if (path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path)) return path;
  const dir = typeof base === "string" ? base : base();
  const joined = `${dir.replace(/\/+$/, "")}/${path}`;
  const out: string[] = [];
  for (const part of joined.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}
