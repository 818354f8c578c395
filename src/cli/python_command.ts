/**
 * `wasp python`.
 * @module
 */
import { envelopeFromError } from "../envelope.ts";
import { runPython } from "../runtimes/python_run.ts";
import { PYTHON_HELP } from "./help.ts";
import { cancelOnSignals } from "../signals.ts";
import { reply, writeOut } from "./output.ts";
import { parsePythonArgs, type PythonArgs } from "./python_args.ts";
import { wantsStream } from "./common_args.ts";
import { streamReply } from "./stream_reply.ts";

/** Runs `wasp python` with the arguments after `python`; returns wasp's exit status. */
export async function pythonCommand(argv: string[]): Promise<number> {
  let args: PythonArgs;
  try {
    args = parsePythonArgs(argv);
  } catch (err) {
    return await reply(envelopeFromError(err), argv.includes("--pretty"), wantsStream(argv));
  }
  if (args.help) {
    await writeOut(PYTHON_HELP);
    return 0;
  }
  const options = { startedAt: 0, signal: cancelOnSignals() };
  if (args.stream) return await streamReply((o) => runPython(args.input, o), options);
  return await reply(await runPython(args.input, options), args.pretty);
}
