/**
 * Writing to wasp's own stdout: the envelope, help texts.
 * @module
 */
import { type Envelope, exitStatusFor } from "../envelope.ts";
import { jsonBytes } from "../json_chunks.ts";
import { writeAllSync } from "../wall/frames.ts";

/** Writes all of `bytes` to stdout. */
async function writeAll(bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await Deno.stdout.write(bytes.subarray(off));
}

/** Writes all of `text` to stdout. */
export async function writeOut(text: string): Promise<void> {
  await writeAll(new TextEncoder().encode(text));
}

let envelopePrinted = false;

/** True once the first byte of an envelope was written: a process prints at most one. */
export function hasPrintedEnvelope(): boolean {
  return envelopePrinted;
}

/**
 * Prints one envelope as a single JSON line (or indented with `pretty`). The JSON is written
 * piece by piece, so an envelope of any size (64 MiB of NUL per stream is 768 MiB of JSON) is
 * printed whole; it counts as printed from its first written byte. The writes are synchronous:
 * the envelope is a run's last act, and an async write's hop to Deno's blocking pool and back
 * costs milliseconds on a loaded machine.
 */
export function printEnvelope(envelope: Envelope, pretty: boolean): void {
  if (envelopePrinted) return;
  for (const bytes of jsonBytes(envelope, pretty ? 2 : 0, "\n")) {
    envelopePrinted = true;
    writeAllSync(Deno.stdout, bytes);
  }
}

/** Prints `envelope` and returns wasp's exit status for it (`stream`: as a result event). */
export async function reply(envelope: Envelope, pretty: boolean, stream = false): Promise<number> {
  if (stream) await printLine({ type: "result", ...envelope });
  else printEnvelope(envelope, pretty);
  return exitStatusFor(envelope);
}

let streaming = false;

/** True once this process prints NDJSON events (`--stream`): its last line is the result. */
export function isStreaming(): boolean {
  return streaming;
}

/** From now on this process prints NDJSON events; a last-resort envelope is a result event. */
export function beginStream(): void {
  streaming = true;
}

/**
 * Prints one event of a stream as one JSON line; a result event counts as the envelope (a
 * process prints at most one) and, like it, is written piece by piece.
 */
export async function printLine(event: { type: string }): Promise<void> {
  streaming = true;
  if (event.type !== "result") {
    return await writeAll(new TextEncoder().encode(JSON.stringify(event) + "\n"));
  }
  if (envelopePrinted) return;
  for (const bytes of jsonBytes(event, 0, "\n")) {
    envelopePrinted = true;
    writeAllSync(Deno.stdout, bytes);
  }
}
