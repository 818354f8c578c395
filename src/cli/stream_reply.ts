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

/**
 * Streams the run `runner` starts to stdout; returns wasp's exit status for its envelope. When
 * stdout breaks (the consumer went away, as in `| head -1`), nobody is left to read the run:
 * it is cancelled, its walled child killed, and the status is 1.
 */
export async function streamReply(runner: Runner, options: RunOptions): Promise<number> {
  beginStream();
  let envelope: Envelope | null = null;
  for await (const event of streamEvents(runner, options)) {
    try {
      await printLine(event);
    } catch {
      return 1; // leaving the loop cancels the run and waits for its child to be gone
    }
    if (event.type === "result") envelope = event;
  }
  return envelope === null ? 3 : exitStatusFor(envelope);
}
