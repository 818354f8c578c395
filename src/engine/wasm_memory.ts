/**
 * Rewrites the memory and table limits declared in a wasm binary so that the engine itself
 * enforces the memory cap over *all* of a module's linear memories together (imported or
 * defined, 32- or 64-bit, multi-memory) and a fixed ceiling over all of its tables:
 * a module whose minima exceed them is refused, and every maximum is lowered so that
 * `memory.grow` / `table.grow` past the budget fail inside the guest.
 *
 * Budget: memory 0 (the one WASI uses) may grow to the cap minus the other memories'
 * minima; every other memory is held to its declared minimum. Tables likewise: table 0
 * gets what the others' minima leave of `MAX_TABLE_ENTRIES`.
 * @module
 */

import type { EngineIo, Outcome } from "./mod.ts";
import { memoryDenial } from "../report/denials.ts";
import {
  assemble,
  BadBinary,
  type Limits,
  Reader,
  readLimits,
  type Section,
  sections,
  skipImportDesc,
  writeLimits,
} from "./wasm_binary.ts";

/** Bytes per wasm page. */
export const PAGE = 65536;

/** Most table entries all of a module's tables may hold together (about 8 bytes each in V8). */
export const MAX_TABLE_ENTRIES = 1 << 20;

/** A memory the module imports, with the limits wasp must create it with. */
export interface ImportedMemory {
  module: string;
  name: string;
  minPages: number;
  maxPages: number;
  shared: boolean;
  is64: boolean;
}

/** What capping did to a module. */
export type MemoryPlan =
  | { ok: true; bytes: Uint8Array; imported: ImportedMemory[] }
  | { ok: false; outcome: Outcome };

/**
 * The outcome of a module the memory plan refused; a declared memory above the cap is also
 * recorded as a denial.
 */
export function refusedPlan(outcome: Outcome, cap: number, io: Pick<EngineIo, "report">): Outcome {
  if (outcome.kind === "failure" && outcome.errorKind === "memory_limit") {
    io.report?.denials.add(
      memoryDenial("instantiate", `the module's declared memory exceeds ${cap} bytes`),
    );
  }
  return outcome;
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

function invalid(message: string): { ok: false; outcome: Outcome } {
  return {
    ok: false,
    outcome: { kind: "failure", errorKind: "invalid_module", message, exitCode: null },
  };
}

interface Splice {
  at: number;
  end: number;
  bytes: number[];
}

/** One memory or table in index order, and where its limits sit in its section body. */
interface Declared {
  section: number;
  at: number;
  end: number;
  limits: Limits;
  imported: { module: string; name: string } | null;
}

const MEMORY_FLAGS = 0x7; // has max, shared, 64-bit
const TABLE_FLAGS = 0x5; // has max, 64-bit

function plainRefType(r: Reader): void {
  const t = r.byte();
  if (t === 0x70 || t === 0x6f) return;
  throw new BadBinary("typed-reference tables");
}

/** Reads every memory and table declaration of a module, in index order. */
function declarations(parts: Section[]): { memories: Declared[]; tables: Declared[] } {
  const memories: Declared[] = [];
  const tables: Declared[] = [];
  const limitsAt = (r: Reader, section: number, imported: Declared["imported"]): Declared => {
    const at = r.at;
    const limits = readLimits(r);
    return { section, at, end: r.at, limits, imported };
  };
  parts.forEach((s, i) => {
    const r = new Reader(s.body, 0);
    if (s.id === 2) {
      const count = r.uleb();
      for (let n = 0; n < count; n++) {
        const module = r.name();
        const name = r.name();
        const kind = r.byte();
        if (kind === 2) memories.push(limitsAt(r, i, { module, name }));
        else if (kind === 1) {
          plainRefType(r);
          tables.push(limitsAt(r, i, { module, name }));
        } else skipImportDesc(r, kind);
      }
    } else if (s.id === 5) {
      const count = r.uleb();
      for (let n = 0; n < count; n++) memories.push(limitsAt(r, i, null));
    } else if (s.id === 4) {
      const count = r.uleb();
      for (let n = 0; n < count; n++) {
        plainRefType(r);
        const d = limitsAt(r, i, null);
        tables.push(d);
      }
    }
  });
  return { memories, tables };
}

/** The maxima giving the first entry what the others' minima leave of `budget`. */
function maxima(list: Declared[], budget: number): number[] {
  const othersMin = list.slice(1).reduce((n, d) => n + d.limits.min, 0);
  return list.map((d, i) => {
    const allowed = i === 0 ? budget - othersMin : d.limits.min;
    return d.limits.max === null ? allowed : Math.min(d.limits.max, allowed);
  });
}

function applySplices(body: Uint8Array, splices: Splice[]): Uint8Array {
  splices.sort((a, b) => a.at - b.at);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const s of splices) {
    pieces.push(body.subarray(from, s.at), new Uint8Array(s.bytes));
    from = s.end;
  }
  pieces.push(body.subarray(from));
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Applies a memory cap of `capBytes` to a module (and the fixed table ceiling). Binaries
 * that the engine would reject anyway are returned unchanged, so that compiling them gives
 * the engine's own message; valid ones wasp cannot read are refused.
 */
export function capMemory(bytes: Uint8Array, capBytes: number, name = "the module"): MemoryPlan {
  const capPages = Math.floor(capBytes / PAGE);
  let parts: Section[];
  let decl: { memories: Declared[]; tables: Declared[] };
  try {
    parts = sections(bytes);
    decl = declarations(parts);
  } catch (err) {
    if (!(err instanceof BadBinary) || !WebAssembly.validate(bytes as BufferSource)) {
      return { ok: true, bytes, imported: [] };
    }
    return invalid(`module ${name} uses ${err.message}, which wasp cannot cap; rebuild it without`);
  }
  const { memories, tables } = decl;
  if (memories.some((m) => m.limits.flags & ~MEMORY_FLAGS)) {
    return invalid(`module ${name} declares a memory kind wasp cannot cap (unknown limits flags)`);
  }
  if (tables.some((t) => t.limits.flags & ~TABLE_FLAGS)) {
    return invalid(`module ${name} declares a table kind wasp cannot cap (unknown limits flags)`);
  }
  const minPages = memories.reduce((n, m) => n + m.limits.min, 0);
  if (minPages > capPages) {
    return { ok: false, outcome: initialMemoryRefused(minPages * PAGE, capBytes) };
  }
  const minEntries = tables.reduce((n, t) => n + t.limits.min, 0);
  if (minEntries > MAX_TABLE_ENTRIES) {
    return invalid(
      `module ${name} declares ${minEntries} table entries, above wasp's ceiling of ${MAX_TABLE_ENTRIES}`,
    );
  }
  const splices = new Map<number, Splice[]>();
  const imported: ImportedMemory[] = [];
  const plan = (list: Declared[], budget: number) => {
    maxima(list, budget).forEach((max, i) => {
      const d = list[i];
      const s = { at: d.at, end: d.end, bytes: writeLimits(d.limits.flags, d.limits.min, max) };
      splices.set(d.section, [...(splices.get(d.section) ?? []), s]);
    });
  };
  plan(memories, capPages);
  plan(tables, MAX_TABLE_ENTRIES);
  maxima(memories, capPages).forEach((max, i) => {
    const m = memories[i];
    if (m.imported === null) return;
    imported.push({
      ...m.imported,
      minPages: m.limits.min,
      maxPages: max,
      shared: (m.limits.flags & 2) !== 0,
      is64: (m.limits.flags & 4) !== 0,
    });
  });
  const rewritten = parts.map((s, i) => {
    const list = splices.get(i);
    return list ? { id: s.id, body: applySplices(s.body, list) } : s;
  });
  return { ok: true, bytes: assemble(bytes.subarray(0, 8), rewritten), imported };
}

/** For each memory in index order (imported first): whether it is a 64-bit memory. */
export function memoryKinds(parts: Section[]): boolean[] {
  return declarations(parts).memories.map((m) => (m.limits.flags & 4) !== 0);
}
