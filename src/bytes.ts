/**
 * Byte helpers shared by the places that read a stream or file in pieces.
 * @module
 */

/** The pieces in `chunks` as one array of `total` bytes (their summed length). */
export function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
