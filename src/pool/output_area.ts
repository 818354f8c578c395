/**
 * A run's output in shared memory: the Worker writes each stream's kept bytes (at most the
 * cap; output_buffer.ts decides what the envelope shows) and the pool reads them after the
 * run — also after it terminated the Worker mid-run, when messages in flight would be lost.
 * Layout: [stdout length i32][stderr length i32][stdout truncated i32][stderr truncated i32],
 * then the cap's bytes for stdout, then the cap's bytes for stderr.
 * @module
 */

const HEADER = 16;

/** A fresh output area for a cap of `cap` bytes per stream. */
export function newOutputArea(cap: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER + 2 * cap);
}

/** The Worker's writer: appends kept bytes of a stream, or marks it truncated. */
export class OutputWriter {
  readonly #head: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #cap: number;
  constructor(area: SharedArrayBuffer) {
    this.#head = new Int32Array(area, 0, 4);
    this.#bytes = new Uint8Array(area, HEADER);
    this.#cap = (area.byteLength - HEADER) / 2;
  }
  /** Appends `bytes` to stream `fd` (the caller never passes more than the cap in total). */
  write(fd: 1 | 2, bytes: Uint8Array): void {
    const i = fd - 1;
    const used = Atomics.load(this.#head, i);
    const n = Math.min(bytes.length, this.#cap - used);
    this.#bytes.set(bytes.subarray(0, n), i * this.#cap + used);
    Atomics.store(this.#head, i, used + n);
  }
  /** Marks stream `fd` as having gone past the cap. */
  truncated(fd: 1 | 2): void {
    Atomics.store(this.#head, 2 + fd - 1, 1);
  }
}

/** What the area holds for stream `fd`: its bytes (copied) and whether it went past the cap. */
export function readOutput(
  area: SharedArrayBuffer,
  fd: 1 | 2,
): { bytes: Uint8Array; truncated: boolean } {
  const head = new Int32Array(area, 0, 4);
  const cap = (area.byteLength - HEADER) / 2;
  const used = Atomics.load(head, fd - 1);
  const start = HEADER + (fd - 1) * cap;
  return {
    bytes: new Uint8Array(area, start, used).slice(),
    truncated: Atomics.load(head, 2 + fd - 1) === 1,
  };
}
