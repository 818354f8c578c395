/**
 * Writing to wasp's own stdout: the envelope, help texts.
 * @module
 */
import { type Envelope, exitStatusFor } from "../envelope.ts";

/** Writes all of `text` to stdout. */
export async function writeOut(text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  let off = 0;
  while (off < bytes.length) off += await Deno.stdout.write(bytes.subarray(off));
}

let envelopePrinted = false;

/** True once an envelope has been printed: a process prints at most one. */
export function hasPrintedEnvelope(): boolean {
  return envelopePrinted;
}

/** Prints one envelope as a single JSON line (or indented with `pretty`). */
export async function printEnvelope(envelope: Envelope, pretty: boolean): Promise<void> {
  if (envelopePrinted) return;
  envelopePrinted = true;
  await writeOut(JSON.stringify(envelope, null, pretty ? 2 : undefined) + "\n");
}

/** Prints `envelope` and returns wasp's exit status for it. */
export async function reply(envelope: Envelope, pretty: boolean): Promise<number> {
  await printEnvelope(envelope, pretty);
  return exitStatusFor(envelope);
}
