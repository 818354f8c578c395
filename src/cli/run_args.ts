/**
 * `wasp run` argv → PolicyInput. Strict: unknown options and stray arguments are errors.
 * @module
 */
import { WaspError } from "../envelope.ts";
import type { Access, DirRequest, PolicyInput } from "../policy.ts";
import {
  parseStrict,
  replyStyle,
  runLikeInput,
  singleTarget,
  splitGuestArgs,
} from "./common_args.ts";
import { RUN_OPTIONS } from "./options.ts";

/** A parsed `wasp run` command line. */
export interface RunArgs {
  help: boolean;
  pretty: boolean;
  /** `--stream`: NDJSON events, the envelope last. */
  stream: boolean;
  input: PolicyInput;
}

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

/** Parses the arguments after `wasp run`. */
export function parseRunArgs(argv: string[]): RunArgs {
  const [own, guestArgs] = splitGuestArgs(argv);
  const parsed = parseStrict(own, RUN_OPTIONS, true, "run");
  const v = parsed.values;
  if (v.help) return { help: true, pretty: false, stream: false, input: { module: "" } };
  const { pretty, stream } = replyStyle(v);
  const module = singleTarget(
    parsed.positionals,
    'missing module: use "wasp run <module.wasm> [options] [-- args]"',
  );
  const dirs = [
    ...(v["allow-dir"] ?? []).map((s) => parseDirSpec(s, "read-write")),
    ...(v["allow-dir-ro"] ?? []).map((s) => parseDirSpec(s, "read-only")),
  ];
  const input = { module, args: guestArgs, dirs, ...runLikeInput(v) };
  return { help: false, pretty, stream, input };
}
