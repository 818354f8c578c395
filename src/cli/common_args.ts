/**
 * Options shared by the commands that run a guest (`run`, `sample run`), and the parsing
 * of their values.
 * @module
 */
import type { ParseArgsOptionsConfig } from "node:util";
import { parseArgsStrict, type StrictParse } from "./parse_args.ts";
import { type OutputEncoding, WaspError } from "../envelope.ts";
import { parseByteSize, parseCount, parseMillis } from "../limits.ts";
import type { EngineName, PolicyInput, SymlinkMode } from "../policy.ts";

/** The values parseArgs returns for RUN_LIKE_OPTIONS. */
export interface RunLikeValues {
  env?: string[];
  timeout?: string;
  "max-memory"?: string;
  "max-output"?: string;
  "max-stdin"?: string;
  "max-sync-files"?: string;
  "max-sync-bytes"?: string;
  "max-file-size"?: string;
  stdin?: string;
  "output-encoding"?: string;
  engine?: string;
  symlinks?: string;
  trace?: boolean;
  changes?: boolean;
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

/** Checks an output encoding name. */
export function parseOutputEncoding(text: string | undefined): OutputEncoding | undefined {
  if (text === undefined || text === "utf8" || text === "base64") return text;
  throw new WaspError(
    "invalid_argument",
    `--output-encoding must be "utf8" or "base64", not "${text}"`,
  );
}

/** Turns the shared option values into the matching PolicyInput fields. */
export function runLikeInput(
  v: RunLikeValues,
): Pick<
  PolicyInput,
  "env" | "limits" | "stdin" | "engine" | "outputEncoding" | "symlinks" | "trace" | "changes"
> {
  const limits: PolicyInput["limits"] = {};
  if (v.timeout !== undefined) limits.timeoutMs = parseMillis(v.timeout, "--timeout");
  if (v["max-memory"] !== undefined) {
    limits.maxMemoryBytes = parseByteSize(v["max-memory"], "--max-memory");
  }
  if (v["max-output"] !== undefined) {
    limits.maxOutputBytes = parseByteSize(v["max-output"], "--max-output");
  }
  if (v["max-stdin"] !== undefined) {
    limits.maxStdinBytes = parseByteSize(v["max-stdin"], "--max-stdin");
  }
  if (v["max-sync-files"] !== undefined) {
    limits.maxSyncFiles = parseCount(v["max-sync-files"], "--max-sync-files");
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
    outputEncoding: parseOutputEncoding(v["output-encoding"]),
    symlinks: parseSymlinks(v.symlinks),
    trace: v.trace === true,
    changes: v.changes === true,
  };
}

/** Checks a --symlinks rule. */
export function parseSymlinks(text: string | undefined): SymlinkMode | undefined {
  if (text === undefined || text === "inside" || text === "deny") return text;
  throw new WaspError("invalid_argument", `--symlinks must be "inside" or "deny", not "${text}"`);
}

/**
 * node:util parseArgs in strict mode (parse_args.ts), its failures turned into one actionable
 * invalid_argument error that names `command`'s help.
 */
export function parseStrict<O extends ParseArgsOptionsConfig, P extends boolean>(
  args: string[],
  options: O,
  allowPositionals: P,
  command: string,
): StrictParse<O, P> {
  try {
    return parseArgsStrict(args, options, allowPositionals);
  } catch (err) {
    throw argError(err, command, args);
  }
}

/** Explains a parseArgs failure in one actionable line. */
export function argError(err: unknown, command: string, args: string[] = []): WaspError {
  const msg = err instanceof Error ? err.message : String(err);
  const opt = /'(-{1,2}[^']*)'/.exec(msg)?.[1];
  const code = (err as { code?: string }).code;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && opt) {
    // "--timeout -1": parseArgs takes a value that starts with "-" for another option
    const name = opt.split(" ")[0];
    const next = args[args.indexOf(name) + 1];
    if (args.includes(name) && next !== undefined && /^-\d/.test(next)) {
      return new WaspError(
        "invalid_argument",
        `option ${name} must not be negative, not "${next}"; see "wasp ${command} --help" for its values`,
      );
    }
  }
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

/** True when wasp's own arguments (those before `--`) ask for `--stream`. */
export function wantsStream(argv: string[]): boolean {
  return splitGuestArgs(argv)[0].includes("--stream");
}

/** How a run's result is printed: `--pretty` and `--stream` (NDJSON, one object a line). */
export function replyStyle(v: { pretty?: boolean; stream?: boolean }): {
  pretty: boolean;
  stream: boolean;
} {
  if (v.pretty && v.stream) {
    throw new WaspError(
      "invalid_argument",
      "--pretty and --stream do not go together: a stream is one JSON object a line; drop one",
    );
  }
  return { pretty: v.pretty ?? false, stream: v.stream ?? false };
}

/** Splits argv at the first `--` into wasp's own arguments and the guest's. */
export function splitGuestArgs(argv: string[]): [string[], string[]] {
  const dash = argv.indexOf("--");
  return dash === -1 ? [argv, []] : [argv.slice(0, dash), argv.slice(dash + 1)];
}
