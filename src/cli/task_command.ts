/**
 * `wasp task run --manifest FILE`.
 * @module
 */
import { envelopeFromError, WaspError } from "../envelope.ts";
import { runTask } from "../task.ts";
import { parseStrict, replyStyle } from "./common_args.ts";
import { streamReply } from "./stream_reply.ts";
import { TASK_HELP } from "./help.ts";
import { TASK_OPTIONS } from "./options.ts";
import { cancelOnSignals } from "../signals.ts";
import { reply, writeOut } from "./output.ts";

/** Runs `wasp task ...` with the arguments after `task`; returns the exit status. */
export async function taskCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const pretty = argv.includes("--pretty");
  const stream = sub === "run" && rest.includes("--stream");
  try {
    if (sub === undefined || sub === "--help" || sub === "-h") {
      await writeOut(TASK_HELP);
      return 0;
    }
    if (sub !== "run") {
      throw new WaspError("invalid_argument", `unknown task command "${sub}"; use "task run"`);
    }
    const parsed = parseStrict(rest, TASK_OPTIONS, false, "task");
    if (parsed.values.help) {
      await writeOut(TASK_HELP);
      return 0;
    }
    const manifest = parsed.values.manifest;
    if (manifest === undefined) {
      throw new WaspError(
        "invalid_argument",
        'missing --manifest: use "wasp task run --manifest FILE"',
      );
    }
    const style = replyStyle(parsed.values);
    const options = { startedAt: 0, signal: cancelOnSignals() };
    if (style.stream) return await streamReply((o) => runTask(manifest, o), options);
    return await reply(await runTask(manifest, options), style.pretty);
  } catch (err) {
    const envelope = envelopeFromError(err);
    return await reply(envelope, pretty, stream);
  }
}
