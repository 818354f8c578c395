/**
 * The edge of the library API: an untrusted PolicyInput is checked for shape and copied once,
 * field by field, so that every later check and use sees the same values (a getter is read
 * once; a caller mutating its object afterwards changes nothing). Mistakes are
 * `invalid_argument` errors naming the field, never `internal`.
 * @module
 */
import { type OutputEncoding, WaspError } from "./envelope.ts";
import { DEFAULT_LIMITS, type Limits } from "./limits.ts";
import type {
  Access,
  DirRequest,
  EngineName,
  PolicyInput,
  StdinSource,
  SymlinkMode,
} from "./policy.ts";

const INPUT_FIELDS = [
  "module",
  "displayName",
  "args",
  "env",
  "dirs",
  "limits",
  "stdin",
  "engine",
  "symlinks",
  "readOnlyPaths",
  "baseDir",
  "outputEncoding",
  "trace",
  "changes",
];
const LIMIT_FIELDS = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[];

function bad(field: string, problem: string): never {
  throw new WaspError("invalid_argument", `run input: ${field} ${problem}`);
}

function record(
  value: unknown,
  field: string,
  allowed: readonly string[],
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    bad(field, "must be an object");
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      bad(`${field}.${key}`, `is not a known field (${allowed.join(", ")})`);
    }
    copy[key] = (value as Record<string, unknown>)[key];
  }
  return copy;
}

function text(value: unknown, field: string, nonEmpty = true): string {
  if (typeof value !== "string") bad(field, "must be a string");
  if (nonEmpty && value === "") bad(field, "must not be empty");
  if (value.includes("\0")) bad(field, "must not contain NUL");
  return value;
}

function optText(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : text(value, field);
}

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) bad(field, "must be an array");
  return [...value];
}

function envPairs(value: unknown): [string, string][] {
  const iterable = typeof value === "object" && value !== null &&
    typeof (value as Iterable<unknown>)[Symbol.iterator] === "function";
  if (!iterable) {
    bad("env", "must be a list of [KEY, VALUE] pairs (for an object, pass Object.entries(env))");
  }
  return [...(value as Iterable<unknown>)].map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) bad(`env[${i}]`, "must be a [KEY, VALUE] pair");
    const [key, val] = pair;
    return [text(key, `env[${i}][0]`, false), text(val, `env[${i}][1]`, false)];
  });
}

function dirRequest(value: unknown, i: number): DirRequest {
  const field = `dirs[${i}]`;
  const d = record(value, field, ["host", "guest", "access"]);
  if (d.access !== "read-only" && d.access !== "read-write") {
    bad(`${field}.access`, `must be "read-only" or "read-write", not ${JSON.stringify(d.access)}`);
  }
  return {
    host: text(d.host, `${field}.host`),
    guest: optText(d.guest, `${field}.guest`),
    access: d.access as Access,
  };
}

function limits(value: unknown): Partial<Limits> {
  const l = record(value, "limits", LIMIT_FIELDS);
  const out: Partial<Limits> = {};
  for (const key of LIMIT_FIELDS) {
    const v = l[key];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
      bad(`limits.${key}`, "must be a whole number, 0 or more");
    }
    out[key] = v;
  }
  return out;
}

function stdinSource(value: unknown): StdinSource {
  const s = record(value, "stdin", ["kind", "path", "data"]);
  switch (s.kind) {
    case "empty":
    case "inherit":
      return { kind: s.kind };
    case "file":
      return { kind: "file", path: text(s.path, "stdin.path") };
    case "bytes":
      if (!(s.data instanceof Uint8Array)) bad("stdin.data", "must be a Uint8Array");
      return { kind: "bytes", data: (s.data as Uint8Array).slice() };
    default:
      return bad("stdin.kind", 'must be "empty", "inherit", "file" or "bytes"');
  }
}

function oneOf<T extends string>(
  value: unknown,
  field: string,
  options: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !options.includes(value as T)) {
    bad(
      field,
      `must be ${options.map((o) => `"${o}"`).join(" or ")}, not ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

/** Checks the shape of an untrusted PolicyInput and returns a private copy of it. */
export function copyPolicyInput(input: unknown): PolicyInput {
  const o = record(input, "(input)", INPUT_FIELDS);
  const copy: PolicyInput = { module: text(o.module, "module") };
  const displayName = optText(o.displayName, "displayName");
  if (displayName !== undefined) copy.displayName = displayName;
  if (o.args !== undefined) {
    copy.args = list(o.args, "args").map((a, i) => text(a, `args[${i}]`, false));
  }
  if (o.env !== undefined) copy.env = envPairs(o.env);
  if (o.dirs !== undefined) copy.dirs = list(o.dirs, "dirs").map(dirRequest);
  if (o.limits !== undefined) copy.limits = limits(o.limits);
  if (o.stdin !== undefined) copy.stdin = stdinSource(o.stdin);
  const engine = oneOf<EngineName>(o.engine, "engine", ["wasp", "wasmer"]);
  if (engine !== undefined) copy.engine = engine;
  const symlinks = oneOf<SymlinkMode>(o.symlinks, "symlinks", ["inside", "deny"]);
  if (symlinks !== undefined) copy.symlinks = symlinks;
  if (o.readOnlyPaths !== undefined) {
    copy.readOnlyPaths = list(o.readOnlyPaths, "readOnlyPaths").map((p, i) =>
      text(p, `readOnlyPaths[${i}]`, false)
    );
  }
  const baseDir = optText(o.baseDir, "baseDir");
  if (baseDir !== undefined) copy.baseDir = baseDir;
  const encoding = oneOf<OutputEncoding>(o.outputEncoding, "outputEncoding", ["utf8", "base64"]);
  if (encoding !== undefined) copy.outputEncoding = encoding;
  for (const flag of ["trace", "changes"] as const) {
    if (o[flag] === undefined) continue;
    if (typeof o[flag] !== "boolean") bad(flag, "must be true or false");
    copy[flag] = o[flag] as boolean;
  }
  return copy;
}
