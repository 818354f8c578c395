/**
 * `wasp python`.
 * @module
 */
import { envelopeFromError } from "../envelope.ts";
import { runPython } from "../runtimes/python_run.ts";
import { PYTHON_HELP } from "./help.ts";
import { cancelOnSignals } from "./signals.ts";
import { reply, writeOut } from "./output.ts";
import { parsePythonArgs, type PythonArgs } from "./python_args.ts";

/** Runs `wasp python` with the arguments after `python`; returns wasp's exit status. */
export async function pythonCommand(argv: string[]): Promise<number> {
  let args: PythonArgs;
  try {
    args = parsePythonArgs(argv);
  } catch (err) {
    return await reply(envelopeFromError(err), argv.includes("--pretty"));
  }
  if (args.help) {
    await writeOut(PYTHON_HELP);
    return 0;
  }
  const envelope = await runPython(args.input, { startedAt: 0, signal: cancelOnSignals() });
  return await reply(envelope, args.pretty);
}
