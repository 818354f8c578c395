/**
 * A run as a stream of events: the guest's output as it arrives, a progress tick now and then,
 * and the envelope last. The CLI's `--stream` prints these as NDJSON, the library hands them
 * out as an async iterator, the MCP server turns them into progress notifications.
 * @module
 */
import { every } from "../timer.ts";
import { concatBytes } from "../bytes.ts";
import { elapsedMs, type Envelope, envelopeFromError } from "../envelope.ts";
import type { PolicyInput } from "../policy.ts";
import { run, type RunOptions } from "../run.ts";
import type { OutputFormat } from "../wall/run_walled.ts";
import { StreamText } from "./stream_text.ts";

/**
 * A piece of the guest's output. With the utf8 encoding, `data` is text and the pieces of a
 * stream put together are exactly the envelope's `stdout`/`stderr`; with base64, each piece
 * is the base64 of its own bytes (`encoding` says so).
 */
export interface OutputEvent {
  type: "stdout" | "stderr";
  data: string;
  encoding?: "base64";
}

/** The run is still going: `elapsed_ms` counts like the envelope's `execution_time_ms`. */
export interface ProgressEvent {
  type: "progress";
  elapsed_ms: number;
}

/** The last event: `type` and, after it, exactly the envelope a run without streaming gives. */
export type ResultEvent = { type: "result" } & Envelope;

/** One event of a streamed run. */
export type StreamEvent = OutputEvent | ProgressEvent | ResultEvent;

/** Options of a streamed run. */
export interface StreamOptions extends RunOptions {
  /** A progress event every this many ms while the run lasts (default 1000; 0 = none). */
  progressIntervalMs?: number;
}

/** The default time between progress events. */
export const PROGRESS_INTERVAL_MS = 1000;

/** A run function of the library (`run`, `runTask`, `runPython`, `runSample` bound to input). */
export type Runner = (options: RunOptions) => Promise<Envelope>;

interface Pending {
  type: "output";
  stream: "stdout" | "stderr";
  chunks: Uint8Array[];
  size: number;
  format: OutputFormat;
}

/**
 * Streams the run that `runner` starts. Output that piles up while the consumer is busy is
 * handed out as one event per stream (never more than the output cap holds); a consumer that
 * stops early (`break`) cancels the run and waits for its walled child to be gone.
 */
export async function* streamEvents(
  runner: Runner,
  options: StreamOptions = {},
): AsyncGenerator<StreamEvent, void, undefined> {
  const { progressIntervalMs = PROGRESS_INTERVAL_MS, ...runOptions } = options;
  const startedAt = runOptions.startedAt ?? performance.now();
  const queue: (Pending | ProgressEvent)[] = [];
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  const onOutput = (stream: "stdout" | "stderr", bytes: Uint8Array, format: OutputFormat) => {
    runOptions.onOutput?.(stream, bytes, format);
    const last = queue.at(-1);
    if (last?.type === "output" && last.stream === stream) {
      last.chunks.push(bytes);
      last.size += bytes.length;
    } else {
      queue.push({ type: "output", stream, chunks: [bytes], size: bytes.length, format });
    }
    poke();
  };
  const stop = new AbortController();
  const signal = runOptions.signal
    ? AbortSignal.any([runOptions.signal, stop.signal])
    : stop.signal;
  let result: Envelope | null = null;
  const running = Promise.resolve()
    .then(() => runner({ ...runOptions, startedAt, signal, onOutput }))
    .catch((err) => envelopeFromError(err, null, startedAt))
    .then((envelope) => {
      result = envelope;
      poke();
    });
  const stopTicking = progressIntervalMs > 0
    ? every(progressIntervalMs, () => {
      const tick: ProgressEvent = { type: "progress", elapsed_ms: elapsedMs(startedAt) };
      // a consumer that lags behind gets the latest tick, not a backlog of them
      if (queue.at(-1)?.type === "progress") queue[queue.length - 1] = tick;
      else queue.push(tick);
      poke();
    })
    : () => {};
  const texts = { stdout: null as StreamText | null, stderr: null as StreamText | null };
  const outputEvent = (stream: "stdout" | "stderr", data: string, format: OutputFormat) =>
    format.encoding === "base64"
      ? { type: stream, data, encoding: "base64" as const }
      : { type: stream, data };
  try {
    for (;;) {
      const next = queue.shift();
      if (next === undefined) {
        if (result !== null) break;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (next.type === "progress") {
        if (result === null) yield next;
        continue;
      }
      const text = texts[next.stream] ??= new StreamText(next.format);
      const bytes = next.chunks.length === 1 ? next.chunks[0] : concatBytes(next.chunks, next.size);
      const data = text.push(bytes);
      if (data !== "") yield outputEvent(next.stream, data, next.format);
    }
    stopTicking();
    const envelope: Envelope = result!;
    for (const stream of ["stdout", "stderr"] as const) {
      const tail = texts[stream]?.end(envelope[stream]) ?? "";
      if (tail !== "") yield { type: stream, data: tail };
    }
    yield { type: "result", ...envelope };
  } finally {
    stopTicking();
    if (result === null) {
      stop.abort("the consumer of the stream stopped reading");
      await running;
    }
  }
}

/** `run()` as a stream of events: output as it arrives, progress, the envelope last. */
export function runStream(
  input: PolicyInput,
  options: StreamOptions = {},
): AsyncGenerator<StreamEvent, void, undefined> {
  return streamEvents((o) => run(input, o), options);
}
