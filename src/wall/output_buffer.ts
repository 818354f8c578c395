/**
 * A bounded byte collector for one guest output stream.
 * @module
 */

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

  /** Appends as much of `bytes` as fits under the cap. */
  push(bytes: Uint8Array): void {
    const room = this.#cap - this.#length;
    if (bytes.length > room) this.truncated = true;
    if (room <= 0) return;
    const keep = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.#chunks.push(keep);
    this.#length += keep.length;
  }

  /** The kept bytes as UTF-8 text (invalid sequences replaced). */
  text(): string {
    const all = new Uint8Array(this.#length);
    let at = 0;
    for (const c of this.#chunks) {
      all.set(c, at);
      at += c.length;
    }
    return new TextDecoder().decode(all);
  }
}
