/**
 * The memory cap holds over every linear memory of a module together (multi-memory,
 * memory64, imported memories), and tables have a fixed ceiling (issue 12, item 1).
 */
import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest, watGuest } from "./helpers/guests.ts";
import { wasp } from "./helpers/wasp.ts";
import { capMemory, MAX_TABLE_ENTRIES, PAGE } from "../src/engine/wasm_memory.ts";
import { countGrowRefusals, REFUSALS_EXPORT } from "../src/engine/wasm_grow_hook.ts";

const EXIT = `(import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))`;
const FEATURES = { multi_memory: true, memory64: true };

/** A guest that runs `checks` (each exits with its code when it fails) then exits 0. */
function guest(decls: string, checks: string[]): string {
  const body = checks.map((c, i) => `(if ${c} (then (call $exit (i32.const ${i + 1}))))`);
  return `(module ${EXIT} ${decls} (func (export "_start") ${
    body.join("\n")
  } (call $exit (i32.const 0))))`;
}

Deno.test("run() holds a second memory to its minimum so the cap covers both", async () => {
  const m = await watGuest(
    "multi-memory-cap",
    guest(`(memory $m0 (export "memory") 1) (memory $m1 1)`, [
      // the second memory cannot grow at all: the cap's pages all belong to memory 0
      `(i32.ne (memory.grow $m1 (i32.const 1)) (i32.const -1))`,
      // memory 0 reaches the cap minus memory 1's page: 16 - 1 = 15 pages, not one more
      `(i32.eq (memory.grow $m0 (i32.const 14)) (i32.const -1))`,
      `(i32.ne (memory.grow $m0 (i32.const 1)) (i32.const -1))`,
    ]),
    FEATURES,
  );
  const r = await wasp(["run", m, "--max-memory", "1mb"]);
  assertEquals(r.envelope.exit_code, 0, r.envelope.error ?? "");
});

Deno.test("run() refuses a module whose memories' minima together exceed the cap", async () => {
  const m = await watGuest(
    "multi-memory-min",
    guest(`(memory (export "memory") 10) (memory $m1 10)`, []),
    FEATURES,
  );
  const r = await wasp(["run", m, "--max-memory", "1mb"]);
  assertEquals(r.envelope.error_kind, "memory_limit");
  assertMatch(r.envelope.error!, new RegExp(`${20 * PAGE} bytes of initial memory`));
});

Deno.test("run() caps a memory64 memory like a 32-bit one", async () => {
  const m = await watGuest(
    "memory64-cap",
    guest(`(memory (export "memory") i64 1)`, [
      `(i64.ne (memory.grow (i64.const 16)) (i64.const -1))`,
      `(i64.eq (memory.grow (i64.const 15)) (i64.const -1))`,
    ]),
    FEATURES,
  );
  const r = await wasp(["run", m, "--max-memory", "1mb"]);
  assertEquals(r.envelope.exit_code, 0, r.envelope.error ?? "");
});

Deno.test("run() gives an imported memory the cap as its maximum", async () => {
  const m = await watGuest(
    "imported-memory-cap",
    `(module ${EXIT} (import "env" "memory" (memory 1))
      (func (export "_start")
        (if (i32.ne (memory.grow (i32.const 16)) (i32.const -1)) (then (call $exit (i32.const 1))))
        (call $exit (i32.const 0))))`,
  );
  const r = await wasp(["run", m, "--max-memory", "1mb"]);
  assertEquals(r.envelope.exit_code, 0, r.envelope.error ?? "");
});

Deno.test("run() stops a table.grow loop at wasp's table ceiling", async () => {
  const m = await watGuest(
    "table-grow-cap",
    guest(`(memory (export "memory") 1) (table $t 1 funcref)`, [
      `(i32.ne (table.grow $t (ref.null func) (i32.const ${MAX_TABLE_ENTRIES})) (i32.const -1))`,
      `(i32.eq (table.grow $t (ref.null func) (i32.const 1000)) (i32.const -1))`,
    ]),
  );
  const r = await wasp(["run", m]);
  assertEquals(r.envelope.exit_code, 0, r.envelope.error ?? "");
});

Deno.test("run() refuses a module whose tables start above the table ceiling", async () => {
  const m = await watGuest(
    "table-min-cap",
    guest(`(memory (export "memory") 1) (table ${MAX_TABLE_ENTRIES + 1} funcref)`, []),
  );
  const r = await wasp(["run", m]);
  assertEquals(r.envelope.error_kind, "invalid_module");
  assertMatch(r.envelope.error!, /table entries, above wasp's ceiling/);
});

Deno.test("capMemory leaves a malformed binary to the compiler's own message", () => {
  const junk = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 0xff]);
  assertEquals(capMemory(junk, PAGE), { ok: true, bytes: junk, imported: [] });
});

Deno.test("run() reports memory_limit only when a memory.grow was refused", async () => {
  const full = await watGuest(
    "full-then-exit",
    guest(`(memory (export "memory") 1)`, [
      // takes the whole 1 MiB cap without a refusal, then fails on purpose
      `(i32.eq (memory.grow (i32.const 15)) (i32.const -1))`,
      `(i32.const 1)`,
    ]),
  );
  const r = await wasp(["run", full, "--max-memory", "1mb"]);
  assertEquals(r.envelope.error_kind, "guest_exit");
  assertEquals(r.envelope.exit_code, 2);
  const refused = await watGuest(
    "refused-then-exit",
    guest(`(memory (export "memory") 1)`, [
      `(i32.ne (memory.grow (i32.const 16)) (i32.const -1))`,
      `(i32.const 1)`,
    ]),
  );
  const r2 = await wasp(["run", refused, "--max-memory", "1mb"]);
  assertEquals(r2.envelope.error_kind, "memory_limit");
  assertEquals(r2.envelope.exit_code, 2);
  assertMatch(r2.envelope.error!, /refused it memory/);
});

Deno.test("countGrowRefusals instruments a real C guest and counts each refused grow", async () => {
  const bytes = await Deno.readFile(await cGuest("memhog"));
  const plan = countGrowRefusals(bytes);
  assertEquals(plan.counted, true);
  assertEquals(plan.bytes.length > bytes.length, true);
  const wat = await Deno.readFile(
    await watGuest(
      "grow-twice",
      `(module (memory (export "memory") 1 2)
        (func (export "_start") (drop (memory.grow (i32.const 5))) (drop (memory.grow (i32.const 1)))
          (drop (memory.grow (i32.const 9)))))`,
    ),
  );
  const hooked = countGrowRefusals(wat);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(hooked.bytes as BufferSource));
  (instance.exports._start as () => void)();
  assertEquals((instance.exports[REFUSALS_EXPORT] as WebAssembly.Global).value, 2);
});

/** Instruments `bytes` (which must be instrumentable), instantiates it and runs `_start`. */
function startInstrumented(bytes: Uint8Array): WebAssembly.Instance {
  const hooked = countGrowRefusals(bytes);
  assertEquals(hooked.counted, true);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(hooked.bytes as BufferSource));
  (instance.exports._start as () => void)();
  return instance;
}

Deno.test("countGrowRefusals reads past SIMD, bulk-memory, br_table and typed select immediates", async () => {
  const bytes = await Deno.readFile(
    await watGuest(
      "grow-busy",
      `(module (memory (export "memory") 1 3) (table 2 funcref) (type $v (func))
        (func $nop)
        (func (export "_start") (local $i i32)
          (drop (v128.const i32x4 0x40 0x40 0x40 0x40))
          (drop (i64.const 64)) (drop (f64.const 64)) (drop (f32.const 64))
          (memory.fill (i32.const 0) (i32.const 64) (i32.const 8))
          (drop (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)))
          (drop (ref.null func))
          (block $a (block $b (br_table $a $b (i32.const 1))))
          (if (i32.const 1) (then (drop (memory.grow (i32.const 1)))))
          (call_indirect (type $v) (i32.const 0))
          (loop $l (drop (memory.grow (i32.const 64))) (br_if $l (i32.eqz (i32.const 1))))
          (drop (i8x16.extract_lane_u 15 (v128.load offset=64 (i32.const 0)))))
        (elem (i32.const 0) $nop))`,
    ),
  );
  const instance = startInstrumented(bytes);
  assertEquals((instance.exports[REFUSALS_EXPORT] as WebAssembly.Global).value, 1);
  assertEquals((instance.exports.memory as WebAssembly.Memory).buffer.byteLength, 2 * PAGE);
});

Deno.test("countGrowRefusals rewrites only the functions that grow and keeps the others whole", async () => {
  const bytes = await Deno.readFile(
    await watGuest(
      "grow-among-others",
      `(module (memory (export "memory") 1 2)
        (func $a (result i32) (i32.add (i32.const 1) (i32.const 2)))
        (func $g1 (drop (memory.grow (i32.const 5))))
        (func $b (result i32) (call $a))
        (func $c (result i32) (i32.mul (call $b) (i32.const 7)))
        (func $g2 (drop (memory.grow (i32.const 1))) (drop (memory.grow (i32.const 3))))
        (func $d (result i32) (i32.sub (call $c) (i32.const 1)))
        (func (export "_start") (call $g1) (call $g2))
        (func (export "d") (result i32) (call $d)))`,
    ),
  );
  const instance = startInstrumented(bytes);
  // 5 pages refused, 1 granted, 3 refused
  assertEquals((instance.exports[REFUSALS_EXPORT] as WebAssembly.Global).value, 2);
  assertEquals((instance.exports.memory as WebAssembly.Memory).buffer.byteLength, 2 * PAGE);
  assertEquals((instance.exports.d as () => number)(), 20);
  // the functions that do not grow still compute what they did; the counter is the one new export
  const plain = new WebAssembly.Module(bytes as BufferSource);
  assertEquals(
    Object.keys(instance.exports).length,
    WebAssembly.Module.exports(plain).length + 1,
  );
});
