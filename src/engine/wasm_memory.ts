/**
 * Reads and rewrites the memory limits declared in a wasm binary, so that the memory cap
 * is enforced by the engine itself: a module whose minimum exceeds the cap is refused, and
 * its maximum is lowered to the cap so `memory.grow` past it returns -1 inside the guest.
 * @module
 */

import type { Outcome } from "./mod.ts";

/** Bytes per wasm page. */
export const PAGE = 65536;

/** What capping did to a module. */
export type MemoryPlan =
  | {
    ok: true;
    bytes: Uint8Array;
    imported: { module: string; name: string; minPages: number } | null;
  }
  | { ok: false; minBytes: number };

class Reader {
  constructor(readonly b: Uint8Array, public at: number) {}
  byte(): number {
    if (this.at >= this.b.length) throw new RangeError("truncated");
    return this.b[this.at++];
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new RangeError("bad leb");
    }
  }
  name(): string {
    const len = this.u32();
    const s = new TextDecoder().decode(this.b.subarray(this.at, this.at + len));
    this.at += len;
    return s;
  }
  limits(): { flags: number; min: number; max: number | null } {
    const flags = this.byte();
    const min = this.u32();
    const max = flags & 1 ? this.u32() : null;
    return { flags, min, max };
  }
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

function skipImportDesc(r: Reader, kind: number): void {
  if (kind === 0) r.u32();
  else if (kind === 1) {
    r.byte();
    r.limits();
  } else if (kind === 3) {
    r.byte();
    r.byte();
  } else if (kind === 4) {
    r.byte();
    r.u32();
  } else throw new RangeError("unknown import kind");
}

/** The outcome for a module whose declared initial memory is above the cap. */
export function initialMemoryRefused(minBytes: number, capBytes: number): Outcome {
  return {
    kind: "failure",
    errorKind: "memory_limit",
    message:
      `the module declares ${minBytes} bytes of initial memory, above the cap of ${capBytes}; raise --max-memory`,
    exitCode: null,
  };
}

/**
 * Applies a memory cap of `capBytes` to a module. Malformed binaries are returned unchanged
 * (compilation reports them properly).
 */
export function capMemory(bytes: Uint8Array, capBytes: number): MemoryPlan {
  const capPages = Math.floor(capBytes / PAGE);
  try {
    const r = new Reader(bytes, 8);
    let imported: { module: string; name: string; minPages: number } | null = null;
    while (r.at < bytes.length) {
      const start = r.at;
      const id = r.byte();
      const size = r.u32();
      const body = r.at;
      const end = body + size;
      if (id === 2) {
        const count = r.u32();
        for (let i = 0; i < count; i++) {
          const module = r.name();
          const name = r.name();
          const kind = r.byte();
          if (kind === 2) {
            const lim = r.limits();
            if (lim.min > capPages) return { ok: false, minBytes: lim.min * PAGE };
            imported = { module, name, minPages: lim.min };
          } else skipImportDesc(r, kind);
        }
      } else if (id === 5) {
        const count = r.u32();
        if (count === 0) break;
        const lim = r.limits();
        if (lim.flags & 4) break; // memory64: left to the engine
        if (lim.min > capPages) return { ok: false, minBytes: lim.min * PAGE };
        const max = lim.max === null ? capPages : Math.min(lim.max, capPages);
        const rest = bytes.subarray(r.at, end);
        const payload = [...leb(count), lim.flags | 1, ...leb(lim.min), ...leb(max)];
        const newBody = new Uint8Array(payload.length + rest.length);
        newBody.set(payload);
        newBody.set(rest, payload.length);
        const head = [5, ...leb(newBody.length)];
        const out = new Uint8Array(start + head.length + newBody.length + bytes.length - end);
        out.set(bytes.subarray(0, start));
        out.set(head, start);
        out.set(newBody, start + head.length);
        out.set(bytes.subarray(end), start + head.length + newBody.length);
        return { ok: true, bytes: out, imported };
      }
      r.at = end;
    }
    return { ok: true, bytes, imported };
  } catch {
    return { ok: true, bytes, imported: null };
  }
}
