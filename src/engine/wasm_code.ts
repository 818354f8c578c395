/**
 * A skipper for WebAssembly instructions: walks a function body one instruction at a time,
 * knowing every immediate of the MVP, bulk memory, reference types, SIMD, threads, tail calls
 * and exception handling. Anything else (GC, unknown opcodes) throws `BadBinary`, so callers
 * never act on a misread body.
 * @module
 */
import { BadBinary, type Reader } from "./wasm_binary.ts";

const VALTYPE_BYTES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f, 0x40]);

/** Skips a value type (with the heap type of a typed reference). */
export function skipValType(r: Reader): void {
  const t = r.byte();
  if (t === 0x63 || t === 0x64) r.skipLeb();
}

function skipBlockType(r: Reader): void {
  const b = r.b[r.at];
  if (VALTYPE_BYTES.has(b)) r.at++;
  else if (b === 0x63 || b === 0x64) skipValType(r);
  else r.skipLeb(); // a type index (s33)
}

function skipMemarg(r: Reader): void {
  const align = r.uleb();
  if (align & 0x40) r.uleb(); // multi-memory: explicit memory index
  r.skipLeb(); // offset (u64 for memory64)
}

function skipFc(r: Reader): void {
  const op = r.uleb();
  if (op <= 7) return;
  if (op === 8 || op === 10 || op === 12 || op === 14) {
    r.uleb();
    r.uleb();
  } else if (op === 9 || op === 11 || op === 13 || (op >= 15 && op <= 17)) r.uleb();
  else throw new BadBinary(`instruction 0xfc ${op}`);
}

function skipSimd(r: Reader): void {
  const op = r.uleb();
  if (op <= 11 || op === 92 || op === 93) skipMemarg(r);
  else if (op === 12 || op === 13) r.skip(16);
  else if (op >= 21 && op <= 34) r.skip(1);
  else if (op >= 84 && op <= 91) {
    skipMemarg(r);
    r.skip(1);
  } else if (op > 0x113) throw new BadBinary(`instruction 0xfd ${op}`);
}

function skipAtomic(r: Reader): void {
  const op = r.uleb();
  if (op === 3) r.skip(1);
  else if (op <= 2 || (op >= 0x10 && op <= 0x4e)) skipMemarg(r);
  else throw new BadBinary(`instruction 0xfe ${op}`);
}

/**
 * Reads one instruction's opcode and skips its immediates; returns the opcode (prefixed ones
 * as 0xfc00 + sub-opcode and so on only for the prefixes, as the bare prefix byte).
 */
export function skipInstruction(r: Reader): number {
  const op = r.byte();
  if (op <= 0x01 || op === 0x05 || op === 0x0a || op === 0x0b || op === 0x0f) return op;
  if (op >= 0x02 && op <= 0x04) skipBlockType(r);
  else if (op === 0x06) skipBlockType(r);
  else if ((op >= 0x07 && op <= 0x09) || op === 0x18) r.uleb();
  else if (op === 0x19) return op;
  else if (op === 0x1f) {
    skipBlockType(r);
    const n = r.uleb();
    for (let i = 0; i < n; i++) {
      const kind = r.byte();
      if (kind <= 1) r.uleb();
      r.uleb();
    }
  } else if (op === 0x0c || op === 0x0d) r.uleb();
  else if (op === 0x0e) {
    const n = r.uleb();
    for (let i = 0; i <= n; i++) r.uleb();
  } else if (op === 0x10 || op === 0x12 || op === 0x14 || op === 0x15) r.uleb();
  else if (op === 0x11 || op === 0x13) {
    r.uleb();
    r.uleb();
  } else if (op === 0x1a || op === 0x1b) return op;
  else if (op === 0x1c) {
    const n = r.uleb();
    for (let i = 0; i < n; i++) skipValType(r);
  } else if (op >= 0x20 && op <= 0x26) r.uleb();
  else if (op >= 0x28 && op <= 0x3e) skipMemarg(r);
  else if (op === 0x3f || op === 0x40) r.uleb();
  else if (op === 0x41 || op === 0x42) r.skipLeb();
  else if (op === 0x43) r.skip(4);
  else if (op === 0x44) r.skip(8);
  else if (op >= 0x45 && op <= 0xc4) return op;
  else if (op === 0xd0) r.skipLeb();
  else if (op === 0xd1 || op === 0xd3 || op === 0xd4) return op;
  else if (op === 0xd2 || op === 0xd5 || op === 0xd6) r.uleb();
  else if (op === 0xfc) skipFc(r);
  else if (op === 0xfd) skipSimd(r);
  else if (op === 0xfe) skipAtomic(r);
  else throw new BadBinary(`instruction 0x${op.toString(16)}`);
  return op;
}
