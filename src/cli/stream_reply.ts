/**
 * `--stream`: a run's events as NDJSON on stdout, written as they happen, the result (the
 * envelope with `"type":"result"` in front) last.
 * @module
 */
import type { Envelope } from "../envelope.ts";
import { exitStatusFor } from "../envelope.ts";
import { type Runner, streamEvents } from "../report/stream_events.ts";
import type { RunOptions } from "../run.ts";
import { beginStream, printLine } from "./output.ts";

/** Streams the run `runner` starts to stdout; returns wasp's exit status for its envelope. */
export async function streamReply(runner: Runner, options: RunOptions): Promise<number> {
  beginStream();
  let envelope: Envelope | null = null;
  for await (const event of streamEvents(runner, options)) {
    await printLine(event);
    if (event.type === "result") envelope = event;
  }
  return envelope === null ? 3 : exitStatusFor(envelope);
}
