/**
 * `wasp run` argv → PolicyInput. Strict: unknown options and stray arguments are errors.
 * @module
 */
import { parseArgs } from "node:util";
import { WaspError } from "../envelope.ts";
import { parseByteSize, parseMillis } from "../limits.ts";
import type { Access, DirRequest, EngineName, PolicyInput } from "../policy.ts";

/** A parsed `wasp run` command line. */
export interface RunArgs {
  help: boolean;
  pretty: boolean;
  input: PolicyInput;
}

const OPTIONS = {
  "allow-dir": { type: "string", multiple: true },
  "allow-dir-ro": { type: "string", multiple: true },
  env: { type: "string", multiple: true },
  timeout: { type: "string" },
  "max-memory": { type: "string" },
  "max-output": { type: "string" },
  stdin: { type: "string" },
  engine: { type: "string" },
  pretty: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Splits `PATH[::GUEST]` into a directory request. */
export function parseDirSpec(spec: string, access: Access): DirRequest {
  const i = spec.indexOf("::");
  if (i === -1) return { host: spec, access };
  const host = spec.slice(0, i);
  const guest = spec.slice(i + 2);
  if (host === "" || guest === "") {
    throw new WaspError(
      "invalid_argument",
      `directory grant "${spec}" must be PATH or PATH::GUEST with both parts non-empty`,
    );
  }
  return { host, guest, access };
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

function parseEngine(text: string | undefined): EngineName | undefined {
  if (text === undefined || text === "wasp" || text === "wasmer") return text;
  throw new WaspError("invalid_argument", `--engine must be "wasp" or "wasmer", not "${text}"`);
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

/** Parses the arguments after `wasp run`. */
export function parseRunArgs(argv: string[]): RunArgs {
  const dash = argv.indexOf("--");
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const guestArgs = dash === -1 ? [] : argv.slice(dash + 1);
  let parsed;
  try {
    parsed = parseArgs({ args: own, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw argError(err, "run");
  }
  const v = parsed.values;
  const pretty = v.pretty ?? false;
  if (v.help) return { help: true, pretty, input: { module: "" } };
  const [module, ...extra] = parsed.positionals;
  if (module === undefined) {
    throw new WaspError(
      "invalid_argument",
      'missing module: use "wasp run <module.wasm> [options] [-- args]"',
    );
  }
  if (extra.length > 0) {
    throw new WaspError(
      "invalid_argument",
      `unexpected argument "${extra[0]}"; put guest arguments after --`,
    );
  }
  const dirs = [
    ...(v["allow-dir"] ?? []).map((s) => parseDirSpec(s, "read-write")),
    ...(v["allow-dir-ro"] ?? []).map((s) => parseDirSpec(s, "read-only")),
  ];
  const limits: PolicyInput["limits"] = {};
  if (v.timeout !== undefined) limits.timeoutMs = parseMillis(v.timeout, "--timeout");
  if (v["max-memory"] !== undefined) {
    limits.maxMemoryBytes = parseByteSize(v["max-memory"], "--max-memory");
  }
  if (v["max-output"] !== undefined) {
    limits.maxOutputBytes = parseByteSize(v["max-output"], "--max-output");
  }
  const stdin: PolicyInput["stdin"] = v.stdin === undefined
    ? { kind: "empty" }
    : v.stdin === "-"
    ? { kind: "inherit" }
    : { kind: "file", path: v.stdin };
  return {
    help: false,
    pretty,
    input: {
      module,
      args: guestArgs,
      env: (v.env ?? []).map(parseEnvSpec),
      dirs,
      limits,
      stdin,
      engine: parseEngine(v.engine),
    },
  };
}
