/**
 * One guest output stream turned into the `data` of stream events as its bytes arrive, such
 * that the pieces put together are exactly what the envelope carries at the end: in UTF-8, a
 * character split across two writes is held until it is whole (never two U+FFFD), a character
 * cut by the output cap is dropped whole, and text that replacement characters made longer
 * than the cap is cut where the envelope cuts it; in base64, each piece is the base64 of its
 * own bytes (decode each piece; the bytes put together are the envelope's).
 * @module
 */
import { concatBytes } from "../bytes.ts";
import { completeUtf8Length, toBase64 } from "../wall/output_buffer.ts";
import type { OutputFormat } from "../wall/run_walled.ts";

const EMPTY = new Uint8Array(0);

/** Turns one stream's kept bytes into event data, piece by piece. */
export class StreamText {
  readonly #base64: boolean;
  readonly #decoder = new TextDecoder();
  readonly #encoder = new TextEncoder();
  /** Bytes at the end that may start a character the next write completes. */
  #pending: Uint8Array = EMPTY;
  /** UTF-8 bytes of text that may still be given out (the cap). */
  #budget: number;

  constructor(format: OutputFormat) {
    this.#base64 = format.encoding === "base64";
    this.#budget = format.maxBytes;
  }

  /** The data for the next bytes of the stream ("" when nothing can be given out yet). */
  push(bytes: Uint8Array): string {
    if (this.#base64) return toBase64(bytes);
    const all = this.#pending.length === 0
      ? bytes
      : concatBytes([this.#pending, bytes], this.#pending.length + bytes.length);
    const whole = completeUtf8Length(all);
    this.#pending = all.slice(whole);
    return this.#fit(this.#decoder.decode(all.subarray(0, whole), { stream: true }));
  }

  /**
   * The data still held when the stream ends: a trailing partial character becomes U+FFFD,
   * as in the envelope, unless the stream was truncated (then it is dropped, as there).
   */
  end(truncated: boolean): string {
    if (this.#base64) return "";
    const tail = truncated ? EMPTY : this.#pending;
    this.#pending = EMPTY;
    return this.#fit(this.#decoder.decode(tail));
  }

  /** `text` cut to what is left of the cap, at a character boundary. */
  #fit(text: string): string {
    if (text === "" || this.#budget <= 0) return "";
    const size = this.#encoder.encode(text).length;
    if (size <= this.#budget) {
      this.#budget -= size;
      return text;
    }
    const { read } = this.#encoder.encodeInto(text, new Uint8Array(this.#budget));
    this.#budget = 0;
    return text.slice(0, read);
  }
}
