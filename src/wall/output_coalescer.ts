/**
 * Coalescing of the walled child's output frames: a guest's many small writes travel to the
 * parent as few pipe writes. Bytes are held at most ~2 ms (or until 64 KiB pile up) and always
 * go out before any other frame (the result, a broker request, the walls).
 *
 * The guest runs synchronously on the child's main thread, so no timer of that thread can
 * fire while it computes: a guest that writes and then spins would keep its last bytes in
 * the buffer until the parent kills it at the timeout. So the held bytes live in shared
 * memory, and a small flusher thread (a Worker, started only once bytes are actually held)
 * writes them out when they are ~2 ms old, whatever the guest does. Nothing is held until that
 * thread runs, and a write that comes after a quiet spell is not held at all: a burst of
 * writes (BURST_WRITES in a row, each within FLUSH_AGE_MS of the last) starts the thread, a
 * few lines (hello's) start nothing.
 *
 * Held writes to one stream become one frame: a write that follows a held write to the same
 * stream lengthens that frame instead of adding one, so a burst of 20,000 one-line writes
 * reaches the parent as a few large frames (the parent's cost grows with frames, not bytes).
 * The bytes and their order are the same; only their grouping into frames changes.
 * @module
 */
import { ChildFrame, encodeFrame, writeAllSync } from "./frames.ts";

/** Held bytes are written out once this many pile up. */
export const FLUSH_BYTES = 64 * 1024;
/** Held bytes are written out once the oldest is this old (ms). */
export const FLUSH_AGE_MS = 2;
/** Writes in one burst before the flusher thread is started (a few lines start nothing). */
export const BURST_WRITES = 32;
/** Nothing is held this long (ms) before the parent's timeout kill. */
export const HOLD_MARGIN_MS = 100;

// Shared layout (Int32 slots): 0 = lock, 1 = held length, 2 = closed, 3 = the flusher's
// sleep, 4 = the flusher runs; Float64 at byte 24 = when the oldest held byte arrived (ms
// since the epoch, comparable across threads); the held frames from byte 32.
const LOCK = 0;
const LENGTH = 1;
const CLOSED = 2;
const READY = 4;
const OLDEST = 24;
const DATA = 32;

/** What the flusher thread runs: every millisecond, writes out held bytes once they are old. */
const FLUSHER = `
self.onmessage = (e) => {
  const { sab, age, data } = e.data;
  const i32 = new Int32Array(sab);
  const f64 = new Float64Array(sab, 24, 1);
  const bytes = new Uint8Array(sab, data);
  Atomics.store(i32, 4, 1);
  for (;;) {
    Atomics.wait(i32, 3, 0, 1);
    if (Atomics.load(i32, 2) === 1) return;
    if (Atomics.load(i32, 1) === 0) continue;
    if (performance.timeOrigin + performance.now() - f64[0] < age) continue;
    while (Atomics.compareExchange(i32, 0, 0, 1) !== 0) Atomics.wait(i32, 0, 1, 1);
    try {
      if (Atomics.load(i32, 2) === 1) return;
      const n = Atomics.load(i32, 1);
      let off = 0;
      while (off < n) off += Deno.stdout.writeSync(bytes.slice(off, n));
      Atomics.store(i32, 1, 0);
    } catch {
      Atomics.store(i32, 2, 1);
      return;
    } finally {
      Atomics.store(i32, 0, 0);
      Atomics.notify(i32, 0);
    }
  }
};
`;

function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Where frames go: the child's stdout, or a test's sink. */
export type FrameSink = (bytes: Uint8Array) => void;

/** Output frames held briefly and shared with the flusher thread. */
export class OutputCoalescer {
  readonly #sink: FrameSink;
  readonly #startFlusher: boolean;
  readonly #sab = new SharedArrayBuffer(DATA + FLUSH_BYTES);
  readonly #i32 = new Int32Array(this.#sab);
  readonly #oldest = new Float64Array(this.#sab, OLDEST, 1);
  readonly #data = new Uint8Array(this.#sab, DATA);
  #flusher: Worker | null = null;
  /** Where the last held frame starts in the held bytes, and its type. */
  #lastStart = 0;
  #lastType = -1;
  #lastOutput = -Infinity;
  #burst = 0;
  #holdUntil = Infinity;

  /**
   * `sink` writes bytes to the parent (it may throw when the parent is gone). The flusher
   * thread always writes to this process's stdout, so `startFlusher` must be false for any
   * other sink; then (tests) bytes are held from the start and only the caller's flushes,
   * the size limit and the age check at the next output write them out.
   */
  constructor(sink: FrameSink = (b) => writeAllSync(Deno.stdout, b), startFlusher = true) {
    this.#sink = sink;
    this.#startFlusher = startFlusher;
  }

  /**
   * Holds nothing from `deadline - HOLD_MARGIN_MS` on (ms since the epoch): the parent kills
   * the child at its timeout without warning, so bytes must not be waiting then.
   */
  stopHoldingBefore(deadline: number): void {
    this.#holdUntil = deadline - HOLD_MARGIN_MS;
  }

  /** Queues a STDOUT/STDERR/TRUNCATED frame; held unless it comes after a quiet spell. */
  output(type: number, payload: Uint8Array): void {
    const now = epochNow();
    const quiet = now - this.#lastOutput > FLUSH_AGE_MS;
    this.#lastOutput = now;
    this.#burst = quiet ? 0 : this.#burst + 1;
    if (this.#burst >= BURST_WRITES) this.#ensureFlusher();
    const size = 5 + payload.length;
    this.#lock();
    try {
      let held = this.#i32[LENGTH];
      if (held + size > FLUSH_BYTES) {
        this.#drain();
        held = 0;
      }
      // nothing is held before the flusher runs: until then, bytes could not leave on their
      // own while the guest computes
      const flusher = !this.#startFlusher || Atomics.load(this.#i32, READY) === 1;
      if (held > 0 && now >= this.#holdUntil) {
        this.#drain();
        held = 0;
      }
      if (size > FLUSH_BYTES || (held === 0 && (quiet || !flusher || now >= this.#holdUntil))) {
        this.#sink(encodeFrame(type, payload));
        return;
      }
      if (held === 0) this.#oldest[0] = now;
      if (this.#canLengthen(type, held)) {
        // the last held frame is this stream's and nothing was drained since: lengthen it
        const header = new DataView(this.#sab, DATA + this.#lastStart + 1, 4);
        header.setUint32(0, header.getUint32(0, true) + payload.length, true);
        this.#data.set(payload, held);
        Atomics.store(this.#i32, LENGTH, held + payload.length);
      } else {
        this.#data[held] = type;
        new DataView(this.#sab, DATA + held + 1, 4).setUint32(0, payload.length, true);
        this.#data.set(payload, held + 5);
        this.#lastStart = held;
        this.#lastType = type;
        Atomics.store(this.#i32, LENGTH, held + size);
      }
      if (now - this.#oldest[0] >= FLUSH_AGE_MS) this.#drain();
    } finally {
      this.#unlock();
    }
  }

  /** Writes out every held byte now (before a result, a broker request or a stop). */
  flush(): void {
    if (Atomics.load(this.#i32, LENGTH) === 0) return;
    this.#lock();
    try {
      this.#drain();
    } finally {
      this.#unlock();
    }
  }

  /** Writes any other frame, after every held byte. */
  frame(bytes: Uint8Array): void {
    this.#lock();
    try {
      this.#drain();
      this.#sink(bytes);
    } finally {
      this.#unlock();
    }
  }

  /** Flushes, writes the last frame, and stops the flusher for good. */
  close(last: Uint8Array): void {
    this.#lock();
    try {
      Atomics.store(this.#i32, CLOSED, 1);
      this.#drain();
      this.#sink(last);
    } finally {
      this.#unlock();
      this.#flusher?.terminate();
    }
  }

  /** Whether the flusher thread was started (tests). */
  get flusherStarted(): boolean {
    return this.#flusher !== null;
  }

  /**
   * Whether a write of `type` may lengthen the last held frame: guest output only, the same
   * stream, and bytes are held. Held bytes always end with the frame this thread added last:
   * only this thread adds frames, and a drain (by either thread, under the lock) empties them.
   */
  #canLengthen(type: number, held: number): boolean {
    return held > 0 && type === this.#lastType &&
      (type === ChildFrame.STDOUT || type === ChildFrame.STDERR);
  }

  #drain(): void {
    const n = this.#i32[LENGTH];
    if (n === 0) return;
    Atomics.store(this.#i32, LENGTH, 0);
    this.#sink(this.#data.slice(0, n));
  }

  #lock(): void {
    while (Atomics.compareExchange(this.#i32, LOCK, 0, 1) !== 0) {
      Atomics.wait(this.#i32, LOCK, 1, 1);
    }
  }

  #unlock(): void {
    Atomics.store(this.#i32, LOCK, 0);
    Atomics.notify(this.#i32, LOCK);
  }

  #ensureFlusher(): void {
    if (this.#flusher !== null || !this.#startFlusher) return;
    const url = `data:text/javascript,${encodeURIComponent(FLUSHER)}`;
    this.#flusher = new Worker(url, { type: "module", name: "wasp-output-flusher" });
    this.#flusher.postMessage({ sab: this.#sab, age: FLUSH_AGE_MS, data: DATA });
  }
}
