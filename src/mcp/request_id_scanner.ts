/**
 * Finds the top-level `"id"` of a JSON-RPC message without parsing (or keeping) the message:
 * a request too large to accept still gets its error reply under its own id.
 * @module
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Longest id (as JSON text) worth keeping; longer ones are answered with id null. */
const MAX_ID_CHARS = 256;

/** What the scanner is doing at the top level of the object. */
type Mode = "key" | "colon" | "value" | "other";

/** A byte-at-a-time scanner for the top-level `"id"` member of a JSON object. */
export class RequestIdScanner {
  #depth = 0;
  #inString = false;
  #escape = false;
  #mode: Mode = "other";
  /** Bytes of the current top-level key, or null when not in one. */
  #key: number[] | null = null;
  #keyIsId = false;
  /** Bytes of the id's JSON text while it is being read. */
  #id: number[] | null = null;
  #idIsString = false;
  #found: string | null = null;

  /** Feeds the next bytes of the message. */
  push(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.#byte(bytes[i]);
  }

  /** The id, if the bytes so far held a top-level string or number id; otherwise null. */
  id(): string | number | null {
    this.#endNumber();
    if (this.#found === null) return null;
    try {
      const v = JSON.parse(this.#found);
      return typeof v === "string" || (typeof v === "number" && Number.isFinite(v)) ? v : null;
    } catch {
      return null;
    }
  }

  #keep(into: number[] | null, b: number): number[] | null {
    if (into === null || into.length >= MAX_ID_CHARS) return null;
    into.push(b);
    return into;
  }

  #endNumber(): void {
    if (this.#id !== null && !this.#idIsString) {
      this.#found = String.fromCharCode(...this.#id);
      this.#id = null;
    }
  }

  #byte(b: number): void {
    if (this.#inString) {
      if (this.#escape) this.#escape = false;
      else if (b === BACKSLASH) this.#escape = true;
      else if (b === QUOTE) {
        this.#inString = false;
        if (this.#key !== null) {
          this.#keyIsId = this.#key.length === 2 && this.#key[0] === 0x69 && this.#key[1] === 0x64;
          this.#key = null;
          this.#mode = "colon";
          return;
        }
        if (this.#id !== null) {
          this.#id.push(b);
          this.#found = new TextDecoder().decode(new Uint8Array(this.#id));
          this.#id = null;
          return;
        }
      }
      // a key longer than two bytes is not "id"; three are enough to know
      if (this.#key !== null) {
        if (this.#key.length < 3) this.#key.push(b);
      } else if (this.#id !== null && this.#idIsString) this.#id = this.#keep(this.#id, b);
      return;
    }
    switch (b) {
      case 0x20:
      case 0x09:
      case 0x0a:
      case 0x0d:
        this.#endNumber();
        return;
      case 0x7b: // {
      case 0x5b: // [
        this.#depth++;
        this.#mode = this.#depth === 1 && b === 0x7b ? "key" : "other";
        return;
      case 0x7d: // }
      case 0x5d: // ]
        this.#endNumber();
        this.#depth--;
        return;
      case 0x2c: // ,
        this.#endNumber();
        if (this.#depth === 1) this.#mode = "key";
        return;
      case 0x3a: // :
        if (this.#depth === 1 && this.#mode === "colon") this.#mode = "value";
        return;
      case QUOTE:
        this.#inString = true;
        if (this.#depth === 1 && this.#mode === "key") this.#key = [];
        else if (this.#depth === 1 && this.#mode === "value" && this.#keyIsId) {
          this.#id = [b];
          this.#idIsString = true;
        }
        if (this.#mode === "value") this.#mode = "other";
        return;
      default:
        if (this.#depth === 1 && this.#mode === "value" && this.#keyIsId) {
          this.#id = [b];
          this.#idIsString = false;
          this.#mode = "other";
        } else if (this.#id !== null && !this.#idIsString) {
          this.#id = this.#keep(this.#id, b);
        }
    }
  }
}
