/**
 * Task manifests (SPEC §5): parsed once into a typed Manifest, then turned into the same
 * PolicyInput the CLI builds. Every problem is an `invalid_manifest` error naming its field.
 * @module
 */
import { type OutputEncoding, WaspError } from "./envelope.ts";
import { LIMIT_MAXIMA, parseByteSize } from "./limits.ts";
import {
  absolute,
  type Access,
  checkEnvKey,
  type DirRequest,
  type EngineName,
  type SymlinkMode,
} from "./policy.ts";
import type { PolicyInput } from "./policy.ts";

/** Limits as a manifest writes them. */
export interface ManifestLimits {
  timeout_ms?: number;
  max_memory_bytes?: number;
  max_output_bytes?: number;
  max_stdin_bytes?: number;
  max_sync_files?: number;
  max_sync_bytes?: number;
  max_file_size_bytes?: number;
}

interface ManifestCommon {
  args?: string[];
  env?: Record<string, string>;
  limits?: ManifestLimits;
  engine?: EngineName;
  symlinks?: SymlinkMode;
  stdin?: string;
  output_encoding?: OutputEncoding;
  /** Add every host call to the envelope (`--trace`). */
  trace?: boolean;
  /** Add what the run changed in read-write grants to the envelope (`--changes`). */
  changes?: boolean;
}

/** `{"kind": "sample"}`: run a built-in sample. */
export interface SampleManifest extends ManifestCommon {
  kind: "sample";
  sample: string;
  workspace?: string;
}

/** One directory grant of a wasm-run manifest. */
export interface ManifestDir {
  path: string;
  guest?: string;
  access?: Access;
}

/** `{"kind": "wasm-run"}`: run a module file. */
export interface WasmRunManifest extends ManifestCommon {
  kind: "wasm-run";
  module: string;
  allow_dirs?: ManifestDir[];
}

/** `{"kind": "python"}`: run Python code or a script with the pinned CPython runtime. */
export interface PythonManifest extends Omit<ManifestCommon, "engine"> {
  kind: "python";
  code?: string;
  script?: string;
  allow_dirs?: ManifestDir[];
}

/** A checked manifest. */
export type Manifest = SampleManifest | WasmRunManifest | PythonManifest;

const KINDS = '"sample", "wasm-run" or "python"';

const COMMON = [
  "$schema",
  "kind",
  "args",
  "env",
  "limits",
  "engine",
  "symlinks",
  "stdin",
  "output_encoding",
  "trace",
  "changes",
];
const FIELDS: Record<Manifest["kind"], string[]> = {
  sample: [...COMMON, "sample", "workspace"],
  "wasm-run": [...COMMON, "module", "allow_dirs"],
  python: [...COMMON.filter((k) => k !== "engine"), "code", "script", "allow_dirs"],
};

class Fields {
  constructor(readonly file: string) {}

  fail(field: string, problem: string): never {
    throw new WaspError("invalid_manifest", `manifest ${this.file}: field "${field}" ${problem}`);
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.fail(field, "must be an object");
    }
    return value as Record<string, unknown>;
  }

  only(obj: Record<string, unknown>, allowed: string[], prefix: string): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        this.fail(`${prefix}${key}`, `is not allowed here; allowed: ${allowed.join(", ")}`);
      }
    }
  }

  string(value: unknown, field: string): string {
    if (typeof value !== "string") this.fail(field, "must be a string");
    if (value === "") this.fail(field, "must not be empty");
    if (value.includes("\0")) this.fail(field, "must not contain NUL");
    return value;
  }

  optString(value: unknown, field: string): string | undefined {
    return value === undefined ? undefined : this.string(value, field);
  }

  count(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    let n: number;
    if (typeof value === "string") {
      try {
        n = parseByteSize(value, field);
      } catch {
        this.fail(field, 'must be a byte count such as 1048576 or "64mb"');
      }
    } else if (typeof value !== "number" || !Number.isSafeInteger(value)) {
      this.fail(field, `must be a whole number of at least ${min}`);
    } else n = value;
    if (n < min || n > max) this.fail(field, `must be between ${min} and ${max}`);
    return n;
  }
}

function parseLimits(f: Fields, value: unknown): ManifestLimits | undefined {
  if (value === undefined) return undefined;
  const obj = f.object(value, "limits");
  f.only(
    obj,
    [
      "timeout_ms",
      "max_memory_bytes",
      "max_output_bytes",
      "max_stdin_bytes",
      "max_sync_files",
      "max_sync_bytes",
      "max_file_size_bytes",
    ],
    "limits.",
  );
  const out: ManifestLimits = {};
  if (obj.timeout_ms !== undefined) {
    if (typeof obj.timeout_ms !== "number") f.fail("limits.timeout_ms", "must be a number");
    out.timeout_ms = f.count(obj.timeout_ms, "limits.timeout_ms", 0, LIMIT_MAXIMA.timeoutMs);
  }
  if (obj.max_memory_bytes !== undefined) {
    out.max_memory_bytes = f.count(
      obj.max_memory_bytes,
      "limits.max_memory_bytes",
      65536,
      LIMIT_MAXIMA.maxMemoryBytes,
    );
  }
  if (obj.max_output_bytes !== undefined) {
    out.max_output_bytes = f.count(
      obj.max_output_bytes,
      "limits.max_output_bytes",
      1,
      LIMIT_MAXIMA.maxOutputBytes,
    );
  }
  if (obj.max_stdin_bytes !== undefined) {
    out.max_stdin_bytes = f.count(
      obj.max_stdin_bytes,
      "limits.max_stdin_bytes",
      1,
      LIMIT_MAXIMA.maxStdinBytes,
    );
  }
  if (obj.max_sync_files !== undefined) {
    if (typeof obj.max_sync_files !== "number") f.fail("limits.max_sync_files", "must be a number");
    out.max_sync_files = f.count(
      obj.max_sync_files,
      "limits.max_sync_files",
      0,
      LIMIT_MAXIMA.maxSyncFiles,
    );
  }
  if (obj.max_sync_bytes !== undefined) {
    out.max_sync_bytes = f.count(
      obj.max_sync_bytes,
      "limits.max_sync_bytes",
      0,
      LIMIT_MAXIMA.maxSyncBytes,
    );
  }
  if (obj.max_file_size_bytes !== undefined) {
    out.max_file_size_bytes = f.count(
      obj.max_file_size_bytes,
      "limits.max_file_size_bytes",
      0,
      LIMIT_MAXIMA.maxFileBytes,
    );
  }
  return out;
}

function parseCommon(f: Fields, obj: Record<string, unknown>): ManifestCommon {
  const out: ManifestCommon = {};
  if (obj.args !== undefined) {
    const args: unknown = obj.args;
    if (!Array.isArray(args)) f.fail("args", "must be an array of strings");
    out.args = args.map((a: unknown, i: number) => {
      if (typeof a !== "string") f.fail(`args[${i}]`, "must be a string");
      return a;
    });
  }
  if (obj.env !== undefined) {
    const env = f.object(obj.env, "env");
    out.env = {};
    for (const [k, v] of Object.entries(env)) {
      try {
        checkEnvKey(k);
      } catch {
        f.fail(`env.${k}`, "is not a valid variable name (non-empty, no =)");
      }
      if (typeof v !== "string") f.fail(`env.${k}`, "must be a string");
      out.env[k] = v;
    }
  }
  out.limits = parseLimits(f, obj.limits);
  if (obj.engine !== undefined && obj.engine !== "wasp" && obj.engine !== "wasmer") {
    f.fail("engine", 'must be "wasp" or "wasmer"');
  }
  out.engine = obj.engine as EngineName | undefined;
  if (obj.symlinks !== undefined && obj.symlinks !== "inside" && obj.symlinks !== "deny") {
    f.fail("symlinks", 'must be "inside" or "deny"');
  }
  out.symlinks = obj.symlinks as SymlinkMode | undefined;
  if (
    obj.output_encoding !== undefined && obj.output_encoding !== "utf8" &&
    obj.output_encoding !== "base64"
  ) {
    f.fail("output_encoding", 'must be "utf8" or "base64"');
  }
  out.output_encoding = obj.output_encoding as OutputEncoding | undefined;
  out.stdin = f.optString(obj.stdin, "stdin");
  for (const flag of ["trace", "changes"] as const) {
    if (obj[flag] !== undefined && typeof obj[flag] !== "boolean") {
      f.fail(flag, "must be true or false");
    }
    out[flag] = obj[flag] as boolean | undefined;
  }
  return out;
}

/** The `allow_dirs` list of a wasm-run or python manifest. */
function parseDirs(f: Fields, value: unknown): ManifestDir[] | undefined {
  if (value === undefined) return undefined;
  const list: unknown = value;
  if (!Array.isArray(list)) f.fail("allow_dirs", "must be an array");
  return list.map((d: unknown, i: number) => {
    const field = `allow_dirs[${i}]`;
    const o = f.object(d, field);
    f.only(o, ["path", "guest", "access"], `${field}.`);
    if (o.path === undefined) f.fail(`${field}.path`, "is required");
    if (o.access !== undefined && o.access !== "read-only" && o.access !== "read-write") {
      f.fail(`${field}.access`, 'must be "read-only" or "read-write"');
    }
    return {
      path: f.string(o.path, `${field}.path`),
      guest: f.optString(o.guest, `${field}.guest`),
      access: o.access as Access | undefined,
    };
  });
}

/** Checks a parsed JSON value as a manifest. */
export function parseManifest(value: unknown, file: string): Manifest {
  const f: Fields = new Fields(file);
  const obj = f.object(value, "(top level)");
  if (obj.kind === undefined) f.fail("kind", `is required: ${KINDS}`);
  if (obj.kind !== "sample" && obj.kind !== "wasm-run" && obj.kind !== "python") {
    f.fail("kind", `must be ${KINDS}, not ${JSON.stringify(obj.kind)}`);
  }
  const kind = obj.kind as Manifest["kind"];
  f.only(obj, FIELDS[kind], "");
  if (obj.$schema !== undefined) f.string(obj.$schema, "$schema");
  const common = parseCommon(f, obj);
  if (obj.kind === "sample") {
    if (obj.sample === undefined) f.fail("sample", "is required (the sample's name)");
    return {
      ...common,
      kind: "sample",
      sample: f.string(obj.sample, "sample"),
      workspace: f.optString(obj.workspace, "workspace"),
    };
  }
  const allowDirs = parseDirs(f, obj.allow_dirs);
  if (obj.kind === "python") {
    if ((obj.code === undefined) === (obj.script === undefined)) {
      f.fail("code", 'or "script" is required, and only one of them (program text, or a .py file)');
    }
    if (obj.script === "-") f.fail("script", 'must name a file; put program text in "code"');
    const { engine: _engine, ...rest } = common;
    return {
      ...rest,
      kind: "python",
      code: obj.code === undefined ? undefined : f.string(obj.code, "code"),
      script: f.optString(obj.script, "script"),
      allow_dirs: allowDirs,
    };
  }
  if (obj.module === undefined) f.fail("module", "is required (the path of a .wasm file)");
  return {
    ...common,
    kind: "wasm-run",
    module: f.string(obj.module, "module"),
    allow_dirs: allowDirs,
  };
}

function checkDirExists(f: Fields, path: string, field: string): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch {
    f.fail(field, `names ${path}, which does not exist; create it or fix the path`);
  }
  if (!info.isDirectory) f.fail(field, `names ${path}, which is not a directory`);
}

/** The run a manifest describes, with paths resolved against `baseDir` and dirs checked. */
export function manifestInput(
  m: Manifest,
  file: string,
  baseDir: string,
): {
  sample: string | null;
  input: PolicyInput;
  workspace?: string;
  workspaceGuest?: string;
  /** A python manifest's program: its code, or its script resolved against `baseDir`. */
  python?: { code?: string; script?: string };
} {
  const f: Fields = new Fields(file);
  const limits: PolicyInput["limits"] = {};
  if (m.limits?.timeout_ms !== undefined) limits.timeoutMs = m.limits.timeout_ms;
  if (m.limits?.max_memory_bytes !== undefined) limits.maxMemoryBytes = m.limits.max_memory_bytes;
  if (m.limits?.max_output_bytes !== undefined) limits.maxOutputBytes = m.limits.max_output_bytes;
  if (m.limits?.max_stdin_bytes !== undefined) limits.maxStdinBytes = m.limits.max_stdin_bytes;
  if (m.limits?.max_sync_files !== undefined) limits.maxSyncFiles = m.limits.max_sync_files;
  if (m.limits?.max_sync_bytes !== undefined) limits.maxSyncBytes = m.limits.max_sync_bytes;
  if (m.limits?.max_file_size_bytes !== undefined) {
    limits.maxFileBytes = m.limits.max_file_size_bytes;
  }
  const common: PolicyInput = {
    module: "",
    args: m.args ?? [],
    env: Object.entries(m.env ?? {}),
    limits,
    engine: m.kind === "python" ? undefined : m.engine,
    symlinks: m.symlinks,
    outputEncoding: m.output_encoding,
    trace: m.trace,
    changes: m.changes,
    stdin: m.stdin === undefined
      ? { kind: "empty" }
      : { kind: "file", path: absolute(m.stdin, baseDir) },
    baseDir,
  };
  if (m.kind === "sample") {
    let workspace: string | undefined;
    if (m.workspace !== undefined) {
      workspace = absolute(m.workspace, baseDir);
      checkDirExists(f, workspace, "workspace");
    }
    return { sample: m.sample, input: common, workspace, workspaceGuest: m.workspace };
  }
  const dirs: DirRequest[] = (m.allow_dirs ?? []).map((d, i) => {
    const host = absolute(d.path, baseDir);
    checkDirExists(f, host, `allow_dirs[${i}].path`);
    return { host, guest: d.guest ?? d.path, access: d.access ?? "read-write" };
  });
  if (m.kind === "python") {
    const { engine: _engine, ...input } = { ...common, dirs };
    const program = m.code !== undefined
      ? { code: m.code }
      : { script: absolute(m.script ?? "", baseDir) };
    return { sample: null, input, python: program };
  }
  return { sample: null, input: { ...common, module: absolute(m.module, baseDir), dirs } };
}
