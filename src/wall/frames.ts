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
  /** The module's bytes, read and hashed by the parent: the child never opens the module. */
  MODULE: 4,
  /** Reply to SYNC_BEGIN: one byte, 1 to go ahead, 0 when the run is being stopped. */
  SYNC_ANSWER: 5,
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

/**
 * Incremental frame decoder for a byte stream that arrives in arbitrary chunks. Linear: each
 * byte is copied once, into the header or into its frame's payload, which is allocated when
 * its header is complete (and refused then if it announces more than the limit).
 */
export class FrameDecoder {
  readonly #max: number;
  readonly #head = new Uint8Array(HEADER_BYTES);
  #headFill = 0;
  #payload: Uint8Array | null = null;
  #payloadFill = 0;

  constructor(maxPayload = MAX_FRAME_PAYLOAD) {
    this.#max = maxPayload;
  }

  /** Appends a chunk and returns every frame it completes. */
  push(chunk: Uint8Array): Frame[] {
    const frames: Frame[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.#payload === null) {
        const n = Math.min(HEADER_BYTES - this.#headFill, chunk.length - at);
        this.#head.set(chunk.subarray(at, at + n), this.#headFill);
        this.#headFill += n;
        at += n;
        if (this.#headFill < HEADER_BYTES) break;
        const len = new DataView(this.#head.buffer).getUint32(1, true);
        if (len > this.#max) throw new FrameTooLarge(`frame of ${len} bytes`);
        this.#payload = new Uint8Array(len);
        this.#payloadFill = 0;
      }
      const n = Math.min(this.#payload.length - this.#payloadFill, chunk.length - at);
      this.#payload.set(chunk.subarray(at, at + n), this.#payloadFill);
      this.#payloadFill += n;
      at += n;
      if (this.#payloadFill === this.#payload.length) {
        frames.push({ type: this.#head[0], payload: this.#payload });
        this.#payload = null;
        this.#headFill = 0;
      }
    }
    return frames;
  }

  /** Bytes received that do not yet form a whole frame. */
  get pending(): number {
    return this.#headFill + (this.#payload === null ? 0 : this.#payloadFill);
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
