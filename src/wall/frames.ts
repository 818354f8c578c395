/**
 * Framing of the parent ↔ child channel: `[type u8][length u32 LE][payload]`.
 * Guest bytes only ever travel inside STDOUT/STDERR frames, so a guest cannot forge a result.
 * @module
 */

/** Frame types sent by the child. */
export const ChildFrame = {
  STDOUT: 1,
  STDERR: 2,
  RESULT: 3,
  BROKER_REQUEST: 4,
  TRUNCATED: 5,
  /** Which walls the child put up, sent before the guest runs (JSON `WallsMessage`). */
  WALLS: 6,
  /** The guest has ended and the engine asks to change the host (empty payload). */
  SYNC_BEGIN: 7,
} as const;

/** Frame types sent by the parent. */
export const ParentFrame = {
  START: 1,
  STDIN: 2,
  BROKER_RESPONSE: 3,
  /** Reply to SYNC_BEGIN: one byte, 1 to go ahead, 0 when the run is being stopped. */
  SYNC_ANSWER: 4,
} as const;

/** Size of the frame header in bytes. */
export const HEADER_BYTES = 5;

/** Encodes one frame. */
export function encodeFrame(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  out[0] = type;
  new DataView(out.buffer).setUint32(1, payload.length, true);
  out.set(payload, HEADER_BYTES);
  return out;
}

/** Encodes a frame whose payload is JSON. */
export function encodeJsonFrame(type: number, value: unknown): Uint8Array {
  return encodeFrame(type, new TextEncoder().encode(JSON.stringify(value)));
}

/** A decoded frame. */
export interface Frame {
  type: number;
  payload: Uint8Array;
}

/** Largest frame payload the parent accepts from a child (a result or an output chunk). */
export const MAX_FRAME_PAYLOAD = 80 * 1024 * 1024;

/** Thrown when a peer announces a frame larger than the decoder accepts. */
export class FrameTooLarge extends Error {}

/** Incremental frame decoder for a byte stream that arrives in arbitrary chunks. */
export class FrameDecoder {
  #buf: Uint8Array = new Uint8Array(0);
  readonly #max: number;

  constructor(maxPayload = MAX_FRAME_PAYLOAD) {
    this.#max = maxPayload;
  }

  /** Appends a chunk and returns every frame it completes. */
  push(chunk: Uint8Array): Frame[] {
    if (this.#buf.length === 0) {
      this.#buf = chunk;
    } else {
      const joined = new Uint8Array(this.#buf.length + chunk.length);
      joined.set(this.#buf);
      joined.set(chunk, this.#buf.length);
      this.#buf = joined;
    }
    const frames: Frame[] = [];
    let at = 0;
    while (this.#buf.length - at >= HEADER_BYTES) {
      const len = new DataView(this.#buf.buffer, this.#buf.byteOffset + at + 1, 4).getUint32(
        0,
        true,
      );
      if (len > this.#max) throw new FrameTooLarge(`frame of ${len} bytes`);
      if (this.#buf.length - at - HEADER_BYTES < len) break;
      const start = at + HEADER_BYTES;
      frames.push({ type: this.#buf[at], payload: this.#buf.slice(start, start + len) });
      at = start + len;
    }
    this.#buf = this.#buf.subarray(at);
    return frames;
  }

  /** Bytes received that do not yet form a whole frame. */
  get pending(): number {
    return this.#buf.length;
  }
}

/** Writes all of `bytes` to a synchronous writer. */
export function writeAllSync(w: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += w.writeSync(bytes.subarray(off));
}

/** Reads exactly `n` bytes from a synchronous reader, or null at end of stream. */
export function readExactSync(
  r: { readSync(p: Uint8Array): number | null },
  n: number,
): Uint8Array | null {
  const out = new Uint8Array(n);
  let off = 0;
  while (off < n) {
    const got = r.readSync(out.subarray(off));
    if (got === null) return null;
    off += got;
  }
  return out;
}

/** Reads one whole frame from a synchronous reader, or null at end of stream. */
export function readFrameSync(r: { readSync(p: Uint8Array): number | null }): Frame | null {
  const head = readExactSync(r, HEADER_BYTES);
  if (head === null) return null;
  const len = new DataView(head.buffer).getUint32(1, true);
  const payload = len === 0 ? new Uint8Array(0) : readExactSync(r, len);
  if (payload === null) return null;
  return { type: head[0], payload };
}
