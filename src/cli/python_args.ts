/**
 * `wasp python` argv → PythonInput: `-c CODE`, a script file, or `-` (the program on stdin),
 * the policy options of `wasp run`, and guest arguments after `--`.
 * @module
 */
import { WaspError } from "../envelope.ts";
import type { PythonInput } from "../runtimes/python_run.ts";
import { parseStrict, replyStyle, runLikeInput, splitGuestArgs } from "./common_args.ts";
import { PYTHON_OPTIONS } from "./options.ts";
import { parseDirSpec } from "./run_args.ts";

/** A parsed `wasp python` command line. */
export interface PythonArgs {
  help: boolean;
  pretty: boolean;
  /** `--stream`: NDJSON events, the envelope last. */
  stream: boolean;
  input: PythonInput;
}

const USAGE = 'use "wasp python -c CODE", "wasp python script.py" or "wasp python -"';

/** Parses the arguments after `wasp python`. */
export function parsePythonArgs(argv: string[]): PythonArgs {
  const [own, guestArgs] = splitGuestArgs(argv);
  const parsed = parseStrict(own, PYTHON_OPTIONS, true, "python");
  const v = parsed.values;
  if (v.help) return { help: true, pretty: false, stream: false, input: {} };
  const { pretty, stream } = replyStyle(v);
  const [target, ...extra] = parsed.positionals;
  if (extra.length > 0) {
    throw new WaspError(
      "invalid_argument",
      `unexpected argument "${extra[0]}"; put the program's arguments after --`,
    );
  }
  if (v.code !== undefined && target !== undefined) {
    throw new WaspError(
      "invalid_argument",
      `give either -c CODE or a script, not both ("${target}"); put arguments after --`,
    );
  }
  if (v.code === undefined && target === undefined) {
    throw new WaspError("invalid_argument", `missing program: ${USAGE}`);
  }
  if (target === "-" && v.stdin !== undefined) {
    throw new WaspError(
      "invalid_argument",
      'with "wasp python -" the program is read from stdin; --stdin cannot be given too',
    );
  }
  const dirs = [
    ...(v["allow-dir"] ?? []).map((s) => parseDirSpec(s, "read-write")),
    ...(v["allow-dir-ro"] ?? []).map((s) => parseDirSpec(s, "read-only")),
  ];
  const { engine: _engine, ...shared } = runLikeInput(v);
  const input: PythonInput = { args: guestArgs, dirs, ...shared };
  if (v.code !== undefined) input.code = v.code;
  else input.script = target;
  if (target === "-") input.stdin = { kind: "inherit" };
  return { help: false, pretty, stream, input };
}
