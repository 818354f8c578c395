/**
 * One guest output stream turned into the `data` of stream events as its bytes arrive, such
 * that the pieces put together are exactly what the envelope carries at the end: in UTF-8, a
 * character split across two writes is held until it is whole (never two U+FFFD), a character
 * cut by the output cap is dropped whole, and text that replacement characters made longer
 * than the cap is cut where the envelope cuts it; in base64, each piece is the base64 of its
 * own bytes (decode each piece; the bytes put together are the envelope's).
 *
 * The text given out before the end is always a prefix of the envelope's: the decoder only
 * ever sees bytes up to a character boundary, so it decodes them as the envelope's whole
 * decode does, and the cap cuts that prefix where the envelope cuts the whole.
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
  /** UTF-16 units of text given out so far. */
  #given = 0;

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
   * The data still held when the stream ends, given the envelope's final text for the stream:
   * what of it was not given out yet (a trailing partial character the envelope turned into
   * U+FFFD, or dropped because the cap cut it). Everything given out before is a prefix of it.
   */
  end(envelopeText: string): string {
    if (this.#base64) return "";
    this.#pending = EMPTY;
    const rest = envelopeText.slice(this.#given);
    this.#given = envelopeText.length;
    return rest;
  }

  /** `text` cut to what is left of the cap, at a character boundary. */
  #fit(text: string): string {
    if (text === "" || this.#budget <= 0) return "";
    const size = this.#encoder.encode(text).length;
    if (size <= this.#budget) {
      this.#budget -= size;
      this.#given += text.length;
      return text;
    }
    const { read } = this.#encoder.encodeInto(text, new Uint8Array(this.#budget));
    this.#budget = 0;
    this.#given += read!;
    return text.slice(0, read);
  }
}
