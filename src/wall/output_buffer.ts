/**
 * A bounded byte collector for one guest output stream, and how its bytes become the
 * envelope's text: UTF-8 that never exceeds the cap and says when bytes were replaced, or
 * base64 of the bytes exactly as written.
 * @module
 */
import { concatBytes } from "../bytes.ts";
import type { OutputEncoding } from "../envelope.ts";

/** A stream's kept output as the envelope carries it. */
export interface RenderedOutput {
  text: string;
  /** Invalid UTF-8 was replaced by U+FFFD (utf8 encoding only). */
  lossy: boolean;
  /** Bytes past the cap were offered, or text had to be shortened to fit the cap. */
  truncated: boolean;
}

/** Keeps at most `cap` bytes and remembers whether more were offered. */
export class OutputBuffer {
  readonly #cap: number;
  readonly #chunks: Uint8Array[] = [];
  #length = 0;
  /** True once bytes beyond the cap were offered or reported. */
  truncated = false;

  constructor(cap: number) {
    this.#cap = cap;
  }

  /** Appends as much of `bytes` as fits under the cap; returns the bytes it kept. */
  push(bytes: Uint8Array): Uint8Array {
    const room = this.#cap - this.#length;
    if (bytes.length > room) this.truncated = true;
    if (room <= 0) return bytes.subarray(0, 0);
    const keep = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.#chunks.push(keep);
    this.#length += keep.length;
    return keep;
  }

  /** The kept bytes. */
  bytes(): Uint8Array {
    return concatBytes(this.#chunks, this.#length);
  }

  /** The kept bytes as UTF-8 text (invalid sequences replaced). */
  text(): string {
    return new TextDecoder().decode(this.bytes());
  }

  /** The kept output in `encoding`, never longer than the cap in UTF-8 bytes. */
  render(encoding: OutputEncoding): RenderedOutput {
    const bytes = this.bytes();
    if (encoding === "base64") {
      return { text: toBase64(bytes), lossy: false, truncated: this.truncated };
    }
    // a character cut by the cap is dropped whole, not turned into a replacement character
    const whole = this.truncated ? bytes.subarray(0, completeUtf8Length(bytes)) : bytes;
    let text: string;
    let lossy = false;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(whole);
    } catch {
      text = new TextDecoder().decode(whole);
      lossy = true;
    }
    let truncated = this.truncated;
    if (lossy) {
      // U+FFFD takes three bytes where the invalid byte took one: keep the text within the cap
      const room = new Uint8Array(this.#cap);
      const { read } = new TextEncoder().encodeInto(text, room);
      if (read! < text.length) {
        text = text.slice(0, read);
        truncated = true;
      }
    }
    return { text, lossy, truncated };
  }
}

/**
 * The length of `bytes` without a trailing UTF-8 sequence that the end cut short (a lead
 * byte followed by fewer continuation bytes than it announces).
 */
export function completeUtf8Length(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

/** Standard base64 (RFC 4648, with padding) of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  let out = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    out += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(out);
}
