/**
 * Options shared by the commands that run a guest (`run`, `sample run`), and the parsing
 * of their values.
 * @module
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { WaspError } from "../envelope.ts";
import { parseByteSize, parseMillis } from "../limits.ts";
import type { EngineName, PolicyInput } from "../policy.ts";

/** parseArgs option specs for limits, env, stdin, engine and output form. */
export const RUN_LIKE_OPTIONS = {
  env: { type: "string", multiple: true },
  timeout: { type: "string" },
  "max-memory": { type: "string" },
  "max-output": { type: "string" },
  "max-sync-files": { type: "string" },
  "max-sync-bytes": { type: "string" },
  "max-file-size": { type: "string" },
  stdin: { type: "string" },
  engine: { type: "string" },
  pretty: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** The values parseArgs returns for RUN_LIKE_OPTIONS. */
export interface RunLikeValues {
  env?: string[];
  timeout?: string;
  "max-memory"?: string;
  "max-output"?: string;
  "max-sync-files"?: string;
  "max-sync-bytes"?: string;
  "max-file-size"?: string;
  stdin?: string;
  engine?: string;
}

/** Splits `KEY=VALUE`. */
export function parseEnvSpec(spec: string): [string, string] {
  const i = spec.indexOf("=");
  if (i <= 0) {
    throw new WaspError(
      "invalid_argument",
      `--env "${spec}" must be KEY=VALUE with a non-empty KEY`,
    );
  }
  return [spec.slice(0, i), spec.slice(i + 1)];
}

/** Checks an engine name. */
export function parseEngine(text: string | undefined): EngineName | undefined {
  if (text === undefined || text === "wasp" || text === "wasmer") return text;
  throw new WaspError("invalid_argument", `--engine must be "wasp" or "wasmer", not "${text}"`);
}

/** Turns the shared option values into the matching PolicyInput fields. */
export function runLikeInput(
  v: RunLikeValues,
): Pick<PolicyInput, "env" | "limits" | "stdin" | "engine"> {
  const limits: PolicyInput["limits"] = {};
  if (v.timeout !== undefined) limits.timeoutMs = parseMillis(v.timeout, "--timeout");
  if (v["max-memory"] !== undefined) {
    limits.maxMemoryBytes = parseByteSize(v["max-memory"], "--max-memory");
  }
  if (v["max-output"] !== undefined) {
    limits.maxOutputBytes = parseByteSize(v["max-output"], "--max-output");
  }
  if (v["max-sync-files"] !== undefined) {
    limits.maxSyncFiles = parseMillis(v["max-sync-files"], "--max-sync-files");
  }
  if (v["max-sync-bytes"] !== undefined) {
    limits.maxSyncBytes = parseByteSize(v["max-sync-bytes"], "--max-sync-bytes");
  }
  if (v["max-file-size"] !== undefined) {
    limits.maxFileBytes = parseByteSize(v["max-file-size"], "--max-file-size");
  }
  const stdin: PolicyInput["stdin"] = v.stdin === undefined
    ? { kind: "empty" }
    : v.stdin === "-"
    ? { kind: "inherit" }
    : { kind: "file", path: v.stdin };
  return {
    env: (v.env ?? []).map(parseEnvSpec),
    limits,
    stdin,
    engine: parseEngine(v.engine),
  };
}

/**
 * node:util parseArgs in strict mode, its failures turned into one actionable
 * invalid_argument error that names `command`'s help.
 */
export function parseStrict<O extends ParseArgsOptionsConfig, P extends boolean>(
  args: string[],
  options: O,
  allowPositionals: P,
  command: string,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw argError(err, command);
  }
}

/** Explains a parseArgs failure in one actionable line. */
export function argError(err: unknown, command: string): WaspError {
  const msg = err instanceof Error ? err.message : String(err);
  const opt = /'(-{1,2}[^']*)'/.exec(msg)?.[1];
  const code = (err as { code?: string }).code;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && opt) {
    return new WaspError(
      "invalid_argument",
      `unknown option ${opt}; run "wasp ${command} --help" for the options`,
    );
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && opt) {
    return new WaspError("invalid_argument", `option ${opt.split(" ")[0]} needs a value`);
  }
  return new WaspError("invalid_argument", `${msg.split("\n")[0]}`);
}

/**
 * The one positional argument of a run-like command (the module or the sample name); guest
 * arguments belong after `--`. `missing` is the error for none.
 */
export function singleTarget(positionals: string[], missing: string): string {
  const [target, ...extra] = positionals;
  if (target === undefined) throw new WaspError("invalid_argument", missing);
  if (extra.length > 0) {
    throw new WaspError(
      "invalid_argument",
      `unexpected argument "${extra[0]}"; put guest arguments after --`,
    );
  }
  return target;
}

/** Splits argv at the first `--` into wasp's own arguments and the guest's. */
export function splitGuestArgs(argv: string[]): [string[], string[]] {
  const dash = argv.indexOf("--");
  return dash === -1 ? [argv, []] : [argv.slice(0, dash), argv.slice(dash + 1)];
}
