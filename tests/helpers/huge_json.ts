/**
 * Checking JSON texts too long for one JS string (a 64 MiB flood of NUL bytes is 384 MiB of
 * `\u0000` escapes; V8's strings stop at 512 M characters): each known flood is verified
 * byte by byte in place and cut out, and the rest is parsed as ordinary JSON.
 * @module
 */

/** One flood to find: the text right before it, the escaped unit and how often it repeats. */
export interface Flood {
  after: string;
  unit: string;
  count: number;
}

const latin1 = new TextDecoder("latin1");

/** Joins byte chunks into one array. */
export function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function find(bytes: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= bytes.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Verifies that each flood appears (in order) exactly where expected, removes it, and returns
 * the remaining text; throws naming the first flood that is not there whole.
 */
export function cutFloods(bytes: Uint8Array, floods: Flood[]): string {
  const enc = new TextEncoder();
  const kept: Uint8Array[] = [];
  let at = 0;
  for (const f of floods) {
    const marker = enc.encode(f.after);
    const m = find(bytes, marker, at);
    if (m < 0) throw new Error(`no ${f.after} in the JSON text`);
    const start = m + marker.length;
    kept.push(bytes.subarray(at, start));
    const unit = enc.encode(f.unit);
    const per = Math.max(1, Math.floor((1 << 20) / unit.length));
    const block = latin1.decode(enc.encode(f.unit.repeat(per)));
    let pos = start;
    let left = f.count;
    while (left > 0) {
      const n = Math.min(left, per);
      const want = n === per ? block : block.slice(0, n * unit.length);
      if (latin1.decode(bytes.subarray(pos, pos + n * unit.length)) !== want) {
        throw new Error(`flood after ${f.after} differs near byte ${pos}`);
      }
      pos += n * unit.length;
      left -= n;
    }
    at = pos;
  }
  kept.push(bytes.subarray(at));
  return new TextDecoder().decode(concat(kept));
}
