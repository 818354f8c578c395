/**
 * Reading the guest's stdin in the parent, bounded and interruptible: at most the stdin cap
 * is buffered (one byte more proves the input too large), and a stop (timeout, signal,
 * cancellation) ends the wait at once instead of after the next read.
 * @module
 */
import { type StdinSource, stdinTooLarge } from "../policy.ts";
import { concatBytes } from "../bytes.ts";
import { WaspError } from "../envelope.ts";

/** Thrown when reading stopped because `stop` fired. */
export class StdinStopped extends Error {}

async function readBounded(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  cap: number,
  stop: Promise<never>,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { value, done } = await Promise.race([reader.read(), stop]);
    if (done) break;
    total += value.length;
    if (total > cap) throw stdinTooLarge(cap);
    chunks.push(value);
  }
  return concatBytes(chunks, total);
}

/**
 * Opens a stdin file, refusing it unless it is a regular file and the very file the policy
 * checked (same device and inode), both before the open (lstat: a symlink or FIFO swapped in
 * is never opened) and after it (fstat: a swap in between is caught): a host-side swap
 * between the check and the read must not redirect the read.
 */
async function openChecked(
  source: { path: string; identity?: { dev: number; ino: number } },
): Promise<Deno.FsFile> {
  const same = (info: Deno.FileInfo) =>
    info.isFile && (source.identity === undefined ||
      (info.dev === source.identity.dev && info.ino === source.identity.ino));
  const replaced = () =>
    new WaspError(
      "invalid_argument",
      `stdin file ${source.path} was replaced after it was checked; pass it again once it stays put`,
    );
  let file: Deno.FsFile;
  try {
    if (!same(await Deno.lstat(source.path))) throw replaced();
    file = await Deno.open(source.path, { read: true });
  } catch (err) {
    if (err instanceof WaspError) throw err;
    throw new WaspError(
      "invalid_argument",
      `stdin file ${source.path} cannot be opened any more; it was changed after it was checked`,
    );
  }
  let ok = false;
  try {
    ok = same(await file.stat());
  } catch {
    ok = false;
  }
  if (!ok) {
    file.close();
    throw replaced();
  }
  return file;
}

/**
 * The bytes of `source`, at most `cap` of them (else the stdin_too_large refusal), or
 * StdinStopped as soon as `signal` aborts.
 */
export async function readStdin(
  source: StdinSource,
  cap: number,
  signal: AbortSignal,
): Promise<Uint8Array> {
  if (source.kind === "bytes") return source.data;
  if (source.kind === "empty") return new Uint8Array(0);
  const stop = new Promise<never>((_, reject) => {
    const fail = () => reject(new StdinStopped("stdin reading was stopped"));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
  stop.catch(() => {});
  if (source.kind === "inherit") {
    const reader = Deno.stdin.readable.getReader();
    try {
      return await readBounded(reader, cap, stop);
    } finally {
      // a read may still be pending on a silent pipe: leave it, do not wait for it
      reader.cancel().catch(() => {});
    }
  }
  const opening = openChecked(source);
  let file: Deno.FsFile;
  try {
    file = await Promise.race([opening, stop]);
  } catch (err) {
    // stopped while the file opened: it is closed once it is open
    opening.then((late) => late.close(), () => {});
    throw err;
  }
  const reader = file.readable.getReader();
  try {
    return await readBounded(reader, cap, stop);
  } finally {
    reader.cancel().catch(() => {});
  }
}
