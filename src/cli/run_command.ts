/**
 * `wasp run`.
 * @module
 */
import { envelopeFromError } from "../envelope.ts";
import { run } from "../run.ts";
import { RUN_HELP } from "./help.ts";
import { cancelOnSignals } from "../signals.ts";
import { reply, writeOut } from "./output.ts";
import { parseRunArgs, type RunArgs } from "./run_args.ts";
import { wantsStream } from "./common_args.ts";
import { streamReply } from "./stream_reply.ts";

/** Runs `wasp run` with the arguments after `run`; returns wasp's exit status. */
export async function runCommand(argv: string[]): Promise<number> {
  let args: RunArgs;
  try {
    args = parseRunArgs(argv);
  } catch (err) {
    const envelope = envelopeFromError(err);
    return await reply(envelope, argv.includes("--pretty"), wantsStream(argv));
  }
  if (args.help) {
    await writeOut(RUN_HELP);
    return 0;
  }
  const options = { startedAt: 0, signal: cancelOnSignals() };
  if (args.stream) return await streamReply((o) => run(args.input, o), options);
  return await reply(await run(args.input, options), args.pretty);
}
