/**
 * Counts refused `memory.grow`s, so that a guest is reported as `memory_limit` only when the
 * cap actually refused it memory (and not merely because it used all of it and then exited on
 * purpose). A refused grow happens inside the guest without calling the host, so the module
 * is rewritten: every `memory.grow` is followed by a call to one of two appended functions
 * that pass the result through and add 1 to an appended, exported global when it is -1.
 * Appending (types, functions, a global, an export) shifts no existing index.
 * @module
 */
import {
  assemble,
  BadBinary,
  leb,
  Reader,
  type Section,
  sections,
  skipImportDesc as skipImport,
} from "./wasm_binary.ts";
import { skipInstruction, skipValType } from "./wasm_code.ts";
import { memoryKinds } from "./wasm_memory.ts";

/** The export name of the refusal counter. */
export const REFUSALS_EXPORT = "__wasp_grow_refusals";

/** What instrumenting did: the module to run and whether refusals are counted. */
export interface GrowHookPlan {
  bytes: Uint8Array;
  /** False when the module could not be instrumented (refusals then are not known). */
  counted: boolean;
}

const SECTION_ORDER = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

function vecCount(body: Uint8Array): { count: number; rest: Uint8Array } {
  const r = new Reader(body, 0);
  const count = r.uleb();
  return { count, rest: body.subarray(r.at) };
}

function withCount(count: number, ...parts: (Uint8Array | number[])[]): Uint8Array {
  const head = leb(count);
  const out = new Uint8Array(head.length + parts.reduce((n, p) => n + p.length, 0));
  out.set(head);
  let at = head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Rewrites the code section's body, inserting `call hook` after each memory.grow, and returns
 * the new vector's function count and contents as pieces: runs of functions that have no
 * memory.grow stay slices of `body` (copied once, when the module is assembled; a large
 * module is mostly such runs, and every fresh copy of it costs page faults).
 */
function rewriteCode(
  body: Uint8Array,
  is64: boolean[],
  hook32: number,
  hook64: number,
): { count: number; pieces: (Uint8Array | number[])[]; grows: number } {
  const r = new Reader(body, 0);
  const count = r.uleb();
  const pieces: (Uint8Array | number[])[] = [];
  let grows = 0;
  let from = r.at; // start of the bytes not yet handed on
  for (let f = 0; f < count; f++) {
    const sizeAt = r.at;
    const size = r.uleb();
    const end = r.at + size;
    const fr = new Reader(body, r.at, end);
    const groups = fr.uleb();
    for (let g = 0; g < groups; g++) {
      fr.uleb();
      skipValType(fr);
    }
    // a body without the bytes of any `memory.grow N` certainly has none: no need to decode it
    const inserts: { after: number; call: number[] }[] = [];
    if (mayGrow(body, fr.at, end, is64.length)) {
      for (let at = fr.at; at < end;) {
        const start = at;
        at = skipInstruction(body, at);
        if (at > end) throw new BadBinary("an instruction runs past its function");
        if (body[start] !== 0x40) continue;
        const idx = new Reader(body, start + 1).uleb(); // memory.grow's memory index
        inserts.push({ after: at, call: [0x10, ...leb(is64[idx] ? hook64 : hook32)] });
      }
    }
    r.at = end;
    if (inserts.length === 0) continue;
    // this function changes: its size prefix is written anew, its body around the calls
    pieces.push(body.subarray(from, sizeAt));
    const added = inserts.reduce((n, i) => n + i.call.length, 0);
    pieces.push(leb(size + added));
    let at = end - size; // the body (its locals first) follows the old size prefix
    for (const insert of inserts) {
      pieces.push(body.subarray(at, insert.after), insert.call);
      at = insert.after;
    }
    from = at;
    grows += inserts.length;
  }
  pieces.push(body.subarray(from, r.at));
  return { count, pieces, grows };
}

/** True when `body[at, end)` holds 0x40 followed by a memory index below `memories`. */
function mayGrow(body: Uint8Array, at: number, end: number, memories: number): boolean {
  for (let i = body.indexOf(0x40, at); i !== -1 && i + 1 < end; i = body.indexOf(0x40, i + 1)) {
    if (body[i + 1] < memories || body[i + 1] & 0x80) return true;
  }
  return false;
}

/** Refuses type sections with GC forms (a rec group defines several indices in one entry). */
function requirePlainTypes(body: Uint8Array): void {
  const r = new Reader(body, 0);
  const count = r.uleb();
  for (let i = 0; i < count; i++) {
    if (r.byte() !== 0x60) throw new BadBinary("GC types");
    for (let v = 0; v < 2; v++) {
      const n = r.uleb();
      for (let k = 0; k < n; k++) skipValType(r);
    }
  }
}

function hookBody(is64: boolean, global: number): number[] {
  const [constOp, eq] = is64 ? [0x42, 0x51] : [0x41, 0x46];
  const g = leb(global);
  const code = [
    0x00, // no locals
    0x20,
    0x00,
    constOp,
    0x7f,
    eq,
    0x04,
    0x40,
    0x23,
    ...g,
    0x41,
    0x01,
    0x6a,
    0x24,
    ...g,
    0x0b,
    0x20,
    0x00,
    0x0b,
  ];
  return [...leb(code.length), ...code];
}

/** Counts the imports of each kind (0 func, 3 global). */
function importCounts(parts: Section[]): { funcs: number; globals: number } {
  const out = { funcs: 0, globals: 0 };
  const imports = parts.find((s) => s.id === 2);
  if (!imports) return out;
  const r = new Reader(imports.body, 0);
  const count = r.uleb();
  for (let i = 0; i < count; i++) {
    r.name();
    r.name();
    const kind = r.byte();
    if (kind === 0) out.funcs++;
    if (kind === 3) out.globals++;
    skipImport(r, kind);
  }
  return out;
}

/** Instruments `bytes` (already capped); on anything it cannot read, returns it unchanged. */
export function countGrowRefusals(bytes: Uint8Array): GrowHookPlan {
  try {
    return instrument(bytes);
  } catch (err) {
    if (err instanceof BadBinary || err instanceof RangeError) return { bytes, counted: false };
    throw err;
  }
}

function instrument(bytes: Uint8Array): GrowHookPlan {
  const parts = sections(bytes);
  const get = (id: number) => parts.find((s) => s.id === id);
  const types = get(1);
  const funcs = get(3);
  const code = get(10);
  if (!types || !funcs || !code) return { bytes, counted: true }; // no code: nothing grows
  const typeVec = vecCount(types.body);
  requirePlainTypes(types.body);
  const imported = importCounts(parts);
  const funcVec = vecCount(funcs.body);
  const globals = get(6);
  const globalVec = globals ? vecCount(globals.body) : { count: 0, rest: new Uint8Array(0) };
  const counter = imported.globals + globalVec.count;
  const hook32 = imported.funcs + funcVec.count;
  const hook64 = hook32 + 1;
  const rewritten = rewriteCode(code.body, memoryKinds(parts), hook32, hook64);
  if (rewritten.grows === 0) return { bytes, counted: true };
  const t32 = typeVec.count;
  const exportVec = vecCount(get(7)?.body ?? new Uint8Array([0]));
  const name = new TextEncoder().encode(REFUSALS_EXPORT);
  const replaced = new Map<number, Uint8Array>([
    [1, withCount(t32 + 2, typeVec.rest, [0x60, 1, 0x7f, 1, 0x7f, 0x60, 1, 0x7e, 1, 0x7e])],
    [3, withCount(funcVec.count + 2, funcVec.rest, [...leb(t32), ...leb(t32 + 1)])],
    [6, withCount(globalVec.count + 1, globalVec.rest, [0x7f, 0x01, 0x41, 0x00, 0x0b])],
    [
      7,
      withCount(exportVec.count + 1, exportVec.rest, [
        ...leb(name.length),
        ...name,
        0x03,
        ...leb(counter),
      ]),
    ],
    [
      10,
      withCount(
        rewritten.count + 2,
        ...rewritten.pieces,
        hookBody(false, counter),
        hookBody(true, counter),
      ),
    ],
  ]);
  const out: Section[] = parts.map((s) =>
    replaced.has(s.id) ? { id: s.id, body: replaced.get(s.id)! } : s
  );
  for (const id of [6, 7]) {
    if (get(id)) continue;
    const rank = SECTION_ORDER.indexOf(id);
    const at = out.findIndex((s) => s.id !== 0 && SECTION_ORDER.indexOf(s.id) > rank);
    out.splice(at === -1 ? out.length : at, 0, { id, body: replaced.get(id)! });
  }
  return { bytes: assemble(bytes.subarray(0, 8), out), counted: true };
}
