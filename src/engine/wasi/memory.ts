/**
 * Typed access to the guest's linear memory. Views are refreshed when memory grows.
 * @module
 */
import { E } from "./constants.ts";
import { fail } from "./errno.ts";

// ignoreBOM keeps a leading U+FEFF: a guest path is a name, and the name must not change.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/** One iovec: a region of guest memory. */
export interface IoVec {
  ptr: number;
  len: number;
}

/** A checked iovec array in guest memory, read lazily (no host array of `count` entries). */
export class IoVecs implements Iterable<IoVec> {
  constructor(
    readonly memory: GuestMemory,
    readonly ptr: number,
    readonly count: number,
    /** Sum of the lengths. */
    readonly total: number,
  ) {}

  *[Symbol.iterator](): Iterator<IoVec> {
    const dv = this.memory.dv;
    for (let i = 0; i < this.count; i++) {
      yield {
        ptr: dv.getUint32(this.ptr + i * 8, true),
        len: dv.getUint32(this.ptr + i * 8 + 4, true),
      };
    }
  }
}

/** Accessors over a WebAssembly.Memory that survive `memory.grow`. */
export class GuestMemory {
  #memory: WebAssembly.Memory | null = null;
  #buffer: ArrayBuffer | null = null;
  #u8 = new Uint8Array(0);
  #dv = new DataView(new ArrayBuffer(0));

  /** Attaches the instance's memory. */
  attach(memory: WebAssembly.Memory): void {
    this.#memory = memory;
  }

  /** The current byte view. */
  get u8(): Uint8Array {
    this.#refresh();
    return this.#u8;
  }

  /** The current DataView. */
  get dv(): DataView {
    this.#refresh();
    return this.#dv;
  }

  /** Current size of guest memory in bytes. */
  get size(): number {
    return this.#memory?.buffer.byteLength ?? 0;
  }

  #refresh(): void {
    const buf = this.#memory?.buffer;
    if (!buf) fail(E.FAULT);
    if (buf !== this.#buffer) {
      this.#buffer = buf as ArrayBuffer;
      this.#u8 = new Uint8Array(buf as ArrayBuffer);
      this.#dv = new DataView(buf as ArrayBuffer);
    }
  }

  /**
   * Fails with EFAULT unless `[ptr, ptr + len)` lies inside guest memory. Calls with output
   * pointers check them first, so that a bad pointer has no side effect (as in wasmtime).
   */
  check(ptr: number, len: number): void {
    if (ptr < 0 || len < 0 || ptr + len > this.size) fail(E.FAULT);
  }

  /** Returns a view of `len` bytes at `ptr`, or fails with EFAULT when out of bounds. */
  bytes(ptr: number, len: number): Uint8Array {
    const u8 = this.u8;
    if (ptr < 0 || len < 0 || ptr + len > u8.length) fail(E.FAULT);
    return u8.subarray(ptr, ptr + len);
  }

  /** Reads a UTF-8 string; invalid UTF-8 fails with EILSEQ. */
  string(ptr: number, len: number): string {
    try {
      return decoder.decode(this.bytes(ptr, len));
    } catch (err) {
      if (err instanceof TypeError) fail(E.ILSEQ);
      throw err;
    }
  }

  /** Checks an iovec/ciovec array (every region in bounds) and returns it. */
  iovecs(ptr: number, count: number): IoVecs {
    const dv = this.dv;
    if (ptr < 0 || count < 0 || ptr + count * 8 > dv.byteLength) fail(E.FAULT);
    let total = 0;
    for (let i = 0; i < count; i++) {
      const p = dv.getUint32(ptr + i * 8, true);
      const l = dv.getUint32(ptr + i * 8 + 4, true);
      if (p + l > dv.byteLength) fail(E.FAULT);
      total += l;
    }
    return new IoVecs(this, ptr, count, total);
  }

  /** Writes a u8. */
  u8At(ptr: number, v: number): void {
    this.dv.setUint8(ptr, v);
  }
  /** Writes a u16. */
  u16(ptr: number, v: number): void {
    this.dv.setUint16(ptr, v, true);
  }
  /** Writes a u32. */
  u32(ptr: number, v: number): void {
    this.dv.setUint32(ptr, v, true);
  }
  /** Writes a u64. */
  u64(ptr: number, v: bigint | number): void {
    this.dv.setBigUint64(ptr, BigInt(v), true);
  }
  /** Reads a u32. */
  getU32(ptr: number): number {
    return this.dv.getUint32(ptr, true);
  }
  /** Reads a u64. */
  getU64(ptr: number): bigint {
    return this.dv.getBigUint64(ptr, true);
  }
  /** Reads a u16. */
  getU16(ptr: number): number {
    return this.dv.getUint16(ptr, true);
  }
  /** Reads a u8. */
  getU8(ptr: number): number {
    return this.dv.getUint8(ptr);
  }
}

/** UTF-8 encodes a string. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}
