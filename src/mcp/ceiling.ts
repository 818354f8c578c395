/**
 * The operator's ceiling for `wasp mcp`: the only grants, env keys, modules and limits any
 * tool call may ever use. Fixed at launch from the command line; no tool can widen it.
 * @module
 */
import { WaspError } from "../envelope.ts";
import { checkLimits, DEFAULT_LIMITS, parseByteSize } from "../limits.ts";
import { type Access, checkEnvKey, existingDirectory } from "../policy.ts";
import { parseStrict } from "../cli/common_args.ts";

/** One directory the operator allows agents to mount, by alias. */
export interface AliasGrant {
  host: string;
  access: Access;
}

/** Everything agents may ever reach through this server. */
export interface Ceiling {
  aliases: Map<string, AliasGrant>;
  /** Allowed env keys, each with the operator's default value (null: no default). */
  env: Map<string, string | null>;
  moduleDirs: string[];
  timeoutMs: number;
  maxMemoryBytes: number;
  maxOutputBytes: number;
  maxConcurrency: number;
  /** How runs are walled: single-use Workers of a warm pool (default), or walled processes. */
  wall: "pool" | "process";
}

/** The documented ceiling of --max-concurrency (each call is a walled child process). */
export const MAX_CONCURRENCY = 64;

const OPTIONS = {
  "allow-dir": { type: "string", multiple: true },
  env: { type: "string", multiple: true },
  "max-timeout": { type: "string" },
  "max-memory": { type: "string" },
  "max-output": { type: "string" },
  "max-concurrency": { type: "string" },
  "module-dir": { type: "string", multiple: true },
  wall: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * Largest `--max-output` of `wasp mcp`: 16 MiB per stream. Every reply carries a run's output
 * twice (as `structuredContent` and as JSON text, escaped once more), so one reply at this
 * ceiling can reach about 360 MB of JSON in the worst case (NUL bytes); guests with larger
 * results should write them to a mounted directory.
 */
export const MCP_MAX_OUTPUT_CAP = 16 * 1024 * 1024;

/** A whole number above zero, for a ceiling flag. */
function positiveWhole(text: string, flag: string, unit: string): number {
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new WaspError(
      "invalid_argument",
      `${flag} must be a whole number of ${unit} of 1 or more, not "${text}"`,
    );
  }
  return n;
}

/** Parses `ALIAS=PATH[:ro|:rw]`. */
export function parseAliasSpec(spec: string): [string, AliasGrant] {
  const eq = spec.indexOf("=");
  const alias = spec.slice(0, eq);
  if (eq <= 0 || !/^[A-Za-z0-9_-]+$/.test(alias)) {
    throw new WaspError(
      "invalid_argument",
      `--allow-dir "${spec}" must be ALIAS=PATH[:ro] with an alias of letters, digits, - or _`,
    );
  }
  let path = spec.slice(eq + 1);
  let access: Access = "read-write";
  // a trailing ":word" is always a mode (a directory named "x:rx" is "x:rx:rw")
  const mode = /:([A-Za-z]+)$/.exec(path);
  if (mode) {
    if (mode[1] !== "ro" && mode[1] !== "rw") {
      throw new WaspError(
        "invalid_argument",
        `--allow-dir "${spec}" has the unknown mode "${
          mode[1]
        }"; use :ro (read-only) or :rw (read-write, the default)`,
      );
    }
    access = mode[1] === "ro" ? "read-only" : "read-write";
    path = path.slice(0, -mode[0].length);
  }
  return [alias, {
    host: existingDirectory(path, Deno.cwd(), `--allow-dir ${alias}=${path}`),
    access,
  }];
}

/** Parses the arguments after `wasp mcp` (or `wasp serve`); returns null for --help. */
export function parseCeiling(argv: string[], command = "mcp"): Ceiling | null {
  const parsed = parseStrict(argv, OPTIONS, false, command);
  const v = parsed.values;
  if (v.help) return null;
  const aliases = new Map<string, AliasGrant>();
  for (const spec of v["allow-dir"] ?? []) {
    const [alias, grant] = parseAliasSpec(spec);
    if (aliases.has(alias)) {
      throw new WaspError("invalid_argument", `alias ${alias} is given twice`);
    }
    aliases.set(alias, grant);
  }
  const env = new Map<string, string | null>();
  for (const spec of v.env ?? []) {
    const eq = spec.indexOf("=");
    const key = eq === -1 ? spec : spec.slice(0, eq);
    checkEnvKey(key);
    env.set(key, eq === -1 ? null : spec.slice(eq + 1));
  }
  const limits = checkLimits({
    ...DEFAULT_LIMITS,
    ...(v["max-timeout"] !== undefined
      ? { timeoutMs: positiveWhole(v["max-timeout"], "--max-timeout", "milliseconds") }
      : {}),
    ...(v["max-memory"] !== undefined
      ? { maxMemoryBytes: parseByteSize(v["max-memory"], "--max-memory") }
      : {}),
    ...(v["max-output"] !== undefined
      ? { maxOutputBytes: parseByteSize(v["max-output"], "--max-output") }
      : {}),
  });
  const concurrency = v["max-concurrency"] === undefined
    ? 2
    : positiveWhole(v["max-concurrency"], "--max-concurrency", "runs");
  if (concurrency > MAX_CONCURRENCY) {
    throw new WaspError(
      "invalid_argument",
      `--max-concurrency must be between 1 and ${MAX_CONCURRENCY}, not ${concurrency}`,
    );
  }
  if (limits.maxOutputBytes > MCP_MAX_OUTPUT_CAP) {
    throw new WaspError(
      "invalid_argument",
      "--max-output cannot exceed 16mb for wasp mcp (every reply carries the output twice); have guests write large results to a mounted directory",
    );
  }
  const wall = v.wall ?? "pool";
  if (wall !== "pool" && wall !== "process") {
    throw new WaspError(
      "invalid_argument",
      `--wall must be "pool" (warm Workers) or "process" (a walled process per run), not "${wall}"`,
    );
  }
  return {
    wall,
    aliases,
    env,
    moduleDirs: (v["module-dir"] ?? []).map((d) =>
      existingDirectory(d, Deno.cwd(), `--module-dir ${d}`)
    ),
    timeoutMs: limits.timeoutMs,
    maxMemoryBytes: limits.maxMemoryBytes,
    maxOutputBytes: limits.maxOutputBytes,
    maxConcurrency: concurrency,
  };
}
