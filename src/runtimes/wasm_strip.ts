/**
 * Removes the debug sections (custom sections named `.debug_*`) from a wasm binary, keeping
 * every other byte in order: the same input always gives the same output.
 * @module
 */

function readU32(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value |= (b & 0x7f) << shift;
    shift += 7;
    if ((b & 0x80) === 0) return [value >>> 0, at];
  }
}

/** The bytes of `wasm` without its `.debug_*` custom sections. */
export function stripDebugSections(wasm: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = [wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const start = at;
    const id = wasm[at++];
    const [size, body] = readU32(wasm, at);
    const end = body + size;
    let debug = false;
    if (id === 0) {
      const [nameLength, nameAt] = readU32(wasm, body);
      const name = new TextDecoder().decode(wasm.subarray(nameAt, nameAt + nameLength));
      debug = name.startsWith(".debug_");
    }
    if (!debug) kept.push(wasm.subarray(start, end));
    at = end;
  }
  const out = new Uint8Array(kept.reduce((n, k) => n + k.length, 0));
  let to = 0;
  for (const k of kept) {
    out.set(k, to);
    to += k.length;
  }
  return out;
}
