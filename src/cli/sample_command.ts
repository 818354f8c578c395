/**
 * `wasp sample list | build | run`.
 * @module
 */
import { envelopeFromError, refusal, WaspError } from "../envelope.ts";
import { assembleSample } from "../samples/assemble.ts";
import { findSample, SAMPLES } from "../samples/registry.ts";
import { runSample } from "../samples/sample_run.ts";
import {
  parseStrict,
  replyStyle,
  runLikeInput,
  singleTarget,
  splitGuestArgs,
  wantsStream,
} from "./common_args.ts";
import { streamReply } from "./stream_reply.ts";
import { SAMPLE_HELP } from "./help.ts";
import { SAMPLE_OTHER_OPTIONS, SAMPLE_RUN_OPTIONS } from "./options.ts";
import { cancelOnSignals } from "../signals.ts";
import { reply, writeOut } from "./output.ts";

async function list(args: string[]): Promise<number> {
  const { values, positionals } = parseStrict(args, SAMPLE_OTHER_OPTIONS, true, "sample");
  if (values.help) {
    await writeOut(SAMPLE_HELP);
    return 0;
  }
  if (positionals.length > 0) {
    throw new WaspError(
      "invalid_argument",
      `unexpected argument "${positionals[0]}"; use "wasp sample list [--pretty]"`,
    );
  }
  const rows = SAMPLES.map((s) => ({ name: s.name, description: s.description }));
  await writeOut(JSON.stringify(rows, null, values.pretty ? 2 : undefined) + "\n");
  return 0;
}

async function build(args: string[]): Promise<number> {
  const { values, positionals } = parseStrict(args, SAMPLE_OTHER_OPTIONS, true, "sample");
  if (values.help) {
    await writeOut(SAMPLE_HELP);
    return 0;
  }
  const pretty = values.pretty ?? false;
  if (positionals.length !== 2) {
    throw new WaspError("invalid_argument", 'use "wasp sample build <name> <out.wasm>"');
  }
  const [name, out] = positionals;
  const bytes = await assembleSample(findSample(name));
  const dir = out.includes("/") ? out.slice(0, out.lastIndexOf("/")) || "/" : ".";
  const tmp = `${dir}/.${out.slice(out.lastIndexOf("/") + 1)}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeFile(tmp, bytes);
    await Deno.rename(tmp, out);
  } catch (err) {
    await Deno.remove(tmp).catch(() => {});
    const why = err instanceof Deno.errors.NotFound
      ? "its directory does not exist"
      : err instanceof Deno.errors.IsADirectory
      ? "it is a directory"
      : "it is not writable";
    throw new WaspError("invalid_argument", `cannot write ${out}: ${why}; choose another path`);
  }
  const result = { status: "success", sample: name, output: out, bytes: bytes.length };
  await writeOut(JSON.stringify(result, null, pretty ? 2 : undefined) + "\n");
  return 0;
}

async function runIt(argv: string[]): Promise<number> {
  const [own, guestArgs] = splitGuestArgs(argv);
  const parsed = parseStrict(own, SAMPLE_RUN_OPTIONS, true, "sample");
  const v = parsed.values;
  if (v.help) {
    await writeOut(SAMPLE_HELP);
    return 0;
  }
  const { pretty, stream } = replyStyle(v);
  const name = singleTarget(
    parsed.positionals,
    'missing sample name: use "wasp sample run <name>"',
  );
  findSample(name);
  const input = { ...runLikeInput(v), args: guestArgs, workspace: v.workspace };
  const options = { startedAt: 0, signal: cancelOnSignals() };
  if (stream) return await streamReply((o) => runSample(name, input, o), options);
  return await reply(await runSample(name, input, options), pretty);
}

/** Runs `wasp sample ...` with the arguments after `sample`; returns the exit status. */
export async function sampleCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const pretty = rest.includes("--pretty");
  const stream = sub === "run" && wantsStream(rest);
  try {
    switch (sub) {
      case "list":
        return await list(rest);
      case "build":
        return await build(rest);
      case "run":
        return await runIt(rest);
      case undefined:
      case "--help":
      case "-h":
        await writeOut(SAMPLE_HELP);
        return 0;
      default: {
        const envelope = refusal(
          "invalid_argument",
          `unknown sample command "${sub}"; use list, build or run`,
        );
        return await reply(envelope, pretty);
      }
    }
  } catch (err) {
    const envelope = envelopeFromError(err);
    return await reply(envelope, pretty, stream);
  }
}
