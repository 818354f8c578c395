/**
 * A skipper for WebAssembly instructions: walks a function body one instruction at a time,
 * knowing every immediate of the MVP, bulk memory, reference types, SIMD, threads, tail calls
 * and exception handling. Anything else (GC, unknown opcodes) throws `BadBinary`, so callers
 * never act on a misread body. Table-driven and position-based: it runs once per guest start
 * over the bodies that may hold a `memory.grow`, mostly before V8 has optimised it.
 * @module
 */
import { BadBinary, type Reader } from "./wasm_binary.ts";

/** Skips a value type (with the heap type of a typed reference). */
export function skipValType(r: Reader): void {
  const t = r.byte();
  if (t === 0x63 || t === 0x64) r.skipLeb();
}

// Immediate kinds of the one-byte opcodes (0: unknown).
const NONE = 1;
const LEB = 2;
const LEB2 = 3;
const MEMARG = 4;
const BLOCK = 5;
const BYTES4 = 6;
const BYTES8 = 7;
const SPECIAL = 8;

const KIND = new Uint8Array(256);
const set = (kind: number, ...ops: number[]) => ops.forEach((op) => (KIND[op] = kind));
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
set(
  NONE,
  0x00,
  0x01,
  0x05,
  0x0a,
  0x0b,
  0x0f,
  0x19,
  0x1a,
  0x1b,
  0xd1,
  0xd3,
  0xd4,
  ...range(0x45, 0xc4),
);
set(LEB, 0x07, 0x08, 0x09, 0x0c, 0x0d, 0x10, 0x12, 0x14, 0x15, 0x18, ...range(0x20, 0x26));
set(LEB, 0x3f, 0x40, 0x41, 0x42, 0xd0, 0xd2, 0xd5, 0xd6);
set(LEB2, 0x11, 0x13);
set(MEMARG, ...range(0x28, 0x3e));
set(BLOCK, 0x02, 0x03, 0x04, 0x06);
set(BYTES4, 0x43);
set(BYTES8, 0x44);
set(SPECIAL, 0x0e, 0x1c, 0x1f, 0xfc, 0xfd, 0xfe);

const SHORT_BLOCKTYPES = new Set([0x40, 0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);

/** The position after the LEB128 at `at`. */
function leb(b: Uint8Array, at: number): number {
  for (let i = 0; i < 10; i++) if ((b[at++] & 0x80) === 0) return at;
  throw new BadBinary("malformed LEB128 number");
}

/** The value of the (small) unsigned LEB128 at `at`. */
function value(b: Uint8Array, at: number): number {
  let v = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++, scale *= 128) {
    const byte = b[at++];
    v += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return v;
  }
  throw new BadBinary("malformed LEB128 number");
}

function valType(b: Uint8Array, at: number): number {
  const t = b[at];
  return t === 0x63 || t === 0x64 ? leb(b, at + 1) : at + 1;
}

function blockType(b: Uint8Array, at: number): number {
  const t = b[at];
  if (SHORT_BLOCKTYPES.has(t)) return at + 1;
  if (t === 0x63 || t === 0x64) return leb(b, at + 1);
  return leb(b, at); // a type index (s33)
}

function memarg(b: Uint8Array, at: number): number {
  const align = value(b, at);
  at = leb(b, at);
  if (align & 0x40) at = leb(b, at); // multi-memory: explicit memory index
  return leb(b, at); // offset (u64 for memory64)
}

function special(b: Uint8Array, op: number, at: number): number {
  if (op === 0x0e) {
    const n = value(b, at);
    at = leb(b, at);
    for (let i = 0; i <= n; i++) at = leb(b, at);
    return at;
  }
  if (op === 0x1c) {
    const n = value(b, at);
    at = leb(b, at);
    for (let i = 0; i < n; i++) at = valType(b, at);
    return at;
  }
  if (op === 0x1f) {
    at = blockType(b, at);
    const n = value(b, at);
    at = leb(b, at);
    for (let i = 0; i < n; i++) {
      const kind = b[at++];
      if (kind <= 1) at = leb(b, at);
      at = leb(b, at);
    }
    return at;
  }
  const sub = value(b, at);
  at = leb(b, at);
  if (op === 0xfc) {
    if (sub <= 7) return at;
    if (sub === 8 || sub === 10 || sub === 12 || sub === 14) return leb(b, leb(b, at));
    if (sub === 9 || sub === 11 || sub === 13 || (sub >= 15 && sub <= 17)) return leb(b, at);
  } else if (op === 0xfd) {
    if (sub <= 11 || sub === 92 || sub === 93) return memarg(b, at);
    if (sub === 12 || sub === 13) return at + 16;
    if (sub >= 21 && sub <= 34) return at + 1;
    if (sub >= 84 && sub <= 91) return memarg(b, at) + 1;
    if (sub <= 0x113) return at;
  } else if (op === 0xfe) {
    if (sub === 3) return at + 1;
    if (sub <= 2 || (sub >= 0x10 && sub <= 0x4e)) return memarg(b, at);
  }
  throw new BadBinary(`instruction 0x${op.toString(16)} ${sub}`);
}

/**
 * The position after the instruction that starts at `at` (its opcode is `b[at]`). Positions
 * past the body are the caller's to refuse.
 */
export function skipInstruction(b: Uint8Array, at: number): number {
  const op = b[at++];
  switch (KIND[op]) {
    case NONE:
      return at;
    case LEB:
      return leb(b, at);
    case LEB2:
      return leb(b, leb(b, at));
    case MEMARG:
      return memarg(b, at);
    case BLOCK:
      return blockType(b, at);
    case BYTES4:
      return at + 4;
    case BYTES8:
      return at + 8;
    case SPECIAL:
      return special(b, op, at);
    default:
      throw new BadBinary(`instruction 0x${op.toString(16)}`);
  }
}
