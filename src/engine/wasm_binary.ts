/**
 * Just enough of the WebAssembly binary format to read and rewrite a module's sections:
 * a LEB128 reader and writer, section splitting and reassembly. Used to cap memories and
 * tables and to check import signatures before a guest is compiled.
 * @module
 */

/** Thrown for a binary wasp cannot read (the engine then reports it as an invalid module). */
export class BadBinary extends Error {}

/** A cursor over module bytes. */
export class Reader {
  constructor(readonly b: Uint8Array, public at: number, readonly end = b.length) {}

  /** One byte. */
  byte(): number {
    if (this.at >= this.end) throw new BadBinary("unexpected end of the module");
    return this.b[this.at++];
  }

  /**
   * An unsigned LEB128 of up to 64 bits as a number (exact up to 2^53; larger values come
   * out approximate, which only ever makes them larger than any limit).
   */
  uleb(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = this.byte();
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new BadBinary("malformed LEB128 number");
  }

  /** Skips a signed or unsigned LEB128 of any width. */
  skipLeb(): void {
    for (let i = 0; i < 10; i++) if ((this.byte() & 0x80) === 0) return;
    throw new BadBinary("malformed LEB128 number");
  }

  /** Skips `n` bytes. */
  skip(n: number): void {
    if (this.at + n > this.end) throw new BadBinary("unexpected end of the module");
    this.at += n;
  }

  /** A length-prefixed UTF-8 name. */
  name(): string {
    const len = this.uleb();
    const start = this.at;
    this.skip(len);
    return new TextDecoder().decode(this.b.subarray(start, this.at));
  }
}

/** Encodes an unsigned LEB128. */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

/** One section of a module: its id and its body. */
export interface Section {
  id: number;
  body: Uint8Array;
}

/** Splits a module into its sections (after the 8-byte header). */
export function sections(bytes: Uint8Array): Section[] {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73) {
    throw new BadBinary("not a WebAssembly module");
  }
  const r = new Reader(bytes, 8);
  const out: Section[] = [];
  while (r.at < bytes.length) {
    const id = r.byte();
    const size = r.uleb();
    const start = r.at;
    r.skip(size);
    out.push({ id, body: bytes.subarray(start, start + size) });
  }
  return out;
}

/** Joins a header and sections back into a module. */
export function assemble(header: Uint8Array, parts: Section[]): Uint8Array {
  let total = header.length;
  const heads = parts.map((s) => {
    const h = [s.id, ...leb(s.body.length)];
    total += h.length + s.body.length;
    return h;
  });
  const out = new Uint8Array(total);
  out.set(header);
  let at = header.length;
  parts.forEach((s, i) => {
    out.set(heads[i], at);
    at += heads[i].length;
    out.set(s.body, at);
    at += s.body.length;
  });
  return out;
}

/** Limits of a memory or a table as declared (min and max in pages or entries). */
export interface Limits {
  flags: number;
  min: number;
  max: number | null;
}

/** Reads a limits structure. */
export function readLimits(r: Reader): Limits {
  const flags = r.byte();
  const min = r.uleb();
  const max = flags & 1 ? r.uleb() : null;
  return { flags, min, max };
}

/** Encodes a limits structure with a maximum. */
export function writeLimits(flags: number, min: number, max: number): number[] {
  return [flags | 1, ...leb(min), ...leb(max)];
}

/** Skips a reference type (funcref, externref, or a typed reference with its heap type). */
export function skipRefType(r: Reader): void {
  const t = r.byte();
  if (t === 0x63 || t === 0x64) r.skipLeb();
}

/** Skips the descriptor of an import of `kind` (0 func, 1 table, 2 memory, 3 global, 4 tag). */
export function skipImportDesc(r: Reader, kind: number): void {
  if (kind === 0) r.uleb();
  else if (kind === 1) {
    skipRefType(r);
    readLimits(r);
  } else if (kind === 2) readLimits(r);
  else if (kind === 3) {
    skipRefType(r);
    r.byte();
  } else if (kind === 4) {
    r.byte();
    r.uleb();
  } else throw new BadBinary(`unknown import kind ${kind}`);
}
