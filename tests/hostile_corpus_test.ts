/**
 * A corpus of hostile inputs — modules, manifests, arguments and guest behaviour — each of
 * which must give one envelope with the right error_kind and never `internal` (a wasp bug):
 * nothing a guest, a module, a manifest or a caller does may produce it.
 */
import { assertEquals } from "./helpers/assert.ts";
import { cGuest, watGuest } from "./helpers/guests.ts";
import { tree, wasp } from "./helpers/wasp.ts";
import { BIG_FD, gatherWat, HOSTILE_IMPORTS, open, OPEN_BIG } from "./helpers/hostile_wat.ts";
import type { ErrorKind } from "../src/envelope.ts";

interface Hostile {
  name: string;
  /** wasp's arguments, given a fresh directory to work in. */
  args(dir: string): Promise<string[]>;
  /** The expected error_kind (null: the guest ran; then `exit` is its code). */
  kind: ErrorKind | null;
  exit?: number;
}

const WAT_FEATURES = { multi_memory: true, memory64: true };

async function wat(name: string, text: string): Promise<string> {
  return await watGuest(`hostile-${name}`, text, WAT_FEATURES);
}

function guest(body: string, pages = 1, data = ""): string {
  return `(module ${HOSTILE_IMPORTS} (memory (export "memory") ${pages}) ${data}
    (func (export "_start") ${body}))`;
}

async function file(dir: string, name: string, bytes: Uint8Array | string): Promise<string> {
  const path = `${dir}/${name}`;
  if (typeof bytes === "string") await Deno.writeTextFile(path, bytes);
  else await Deno.writeFile(path, bytes);
  return path;
}

async function manifest(dir: string, text: string): Promise<string[]> {
  return ["task", "run", "--manifest", await file(dir, "m.jsonc", text)];
}

const CORPUS: Hostile[] = [
  {
    name: "an import declared with i64 where preview1 has i32",
    args: async () => [
      "run",
      await wat(
        "sig",
        `(module (import "wasi_snapshot_preview1" "fd_close" (func (param i64) (result i32)))
          (memory (export "memory") 1) (func (export "_start")))`,
      ),
    ],
    kind: "invalid_module",
  },
  {
    name: "an import declared with the wrong result type",
    args: async () => [
      "run",
      await wat(
        "sig-result",
        `(module (import "wasi_snapshot_preview1" "clock_time_get"
          (func (param i32 i64 i32) (result i64)))
          (memory (export "memory") 1) (func (export "_start")))`,
      ),
    ],
    kind: "invalid_module",
  },
  {
    name: "a preview1 name imported as a global",
    args: async () => [
      "run",
      await wat(
        "global-import",
        `(module (import "wasi_snapshot_preview1" "fd_write" (global i32))
          (memory (export "memory") 1) (func (export "_start")))`,
      ),
    ],
    kind: "invalid_module",
  },
  {
    name: "a truncated module",
    args: async (dir) => [
      "run",
      await file(dir, "t.wasm", (await Deno.readFile(await cGuest("hello"))).subarray(0, 300)),
    ],
    kind: "invalid_module",
  },
  {
    name: "a module whose section sizes lie",
    args: async (dir) => [
      "run",
      await file(dir, "lie.wasm", new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 0x7f, 1])),
    ],
    kind: "invalid_module",
  },
  {
    name: "a table larger than wasp's ceiling",
    args: async () => [
      "run",
      await wat("table", guest("", 1, "(table 5000000 funcref)")),
    ],
    kind: "invalid_module",
  },
  {
    name: "two memories whose minima exceed the cap",
    args: async () => [
      "run",
      await wat("two-memories", guest("", 40, "(memory $b 40)")),
      "--max-memory",
      "4mb",
    ],
    kind: "memory_limit",
  },
  {
    name: "an imported 64-bit memory",
    args: async () => [
      "run",
      await wat(
        "import-memory64",
        `(module (import "env" "memory" (memory i64 1)) (func (export "_start")))`,
      ),
    ],
    kind: null,
    exit: 0,
  },
  {
    name: "a start function that traps during instantiation",
    args: async () => [
      "run",
      await wat("start-trap", guest("", 1, "(func $s unreachable) (start $s)")),
    ],
    kind: "trap",
  },
  {
    name: "unbounded recursion",
    args: async () => [
      "run",
      await wat(
        "recursion",
        `(module (memory (export "memory") 1) (func $f (call $f)) (func (export "_start") (call $f)))`,
      ),
    ],
    kind: "trap",
  },
  {
    name: "4 GiB gathered into one fd_write to stdout",
    args: async () => ["run", await wat("gather-out", gatherWat("(i32.const 2)"))],
    kind: "output_limit",
  },
  {
    name: "4 GiB gathered into one fd_write to a file under --max-file-size",
    args: async (dir) => [
      "run",
      await wat("gather-file", gatherWat(BIG_FD, OPEN_BIG, 65536)),
      "--allow-dir",
      dir,
      "--max-file-size",
      "64kb",
    ],
    kind: null,
    exit: 0,
  },
  {
    name: "a 1 MiB guest path",
    args: async (dir) => [
      "run",
      await wat(
        "long-path",
        guest(
          `(memory.fill (i32.const 1024) (i32.const 97) (i32.const 1048576))
           (call $exit (i32.ne ${open(1024, 1048576, 0)} (i32.const 0)))`,
          20,
        ),
      ),
      "--allow-dir",
      dir,
    ],
    kind: "guest_exit",
    exit: 1,
  },
  {
    name: "a 70 MiB symlink target",
    args: async (dir) => [
      "run",
      await wat(
        "long-link",
        guest(
          `(memory.fill (i32.const 1024) (i32.const 97) (i32.const 73400320))
           (call $exit (call $symlink (i32.const 1024) (i32.const 73400320) (i32.const 3)
             (i32.const 100) (i32.const 1)))`,
          1200,
          `(data (i32.const 100) "l")`,
        ),
      ),
      "--allow-dir",
      dir,
      "--max-memory",
      "100mb",
    ],
    kind: "guest_exit",
    exit: 37,
  },
  {
    name: "a timeout past the maximum",
    args: async () => ["run", await cGuest("hello"), "--timeout", "2147483648"],
    kind: "invalid_argument",
  },
  {
    name: "a memory cap past the maximum",
    args: async () => ["run", await cGuest("hello"), "--max-memory", "99999999999999999999"],
    kind: "invalid_argument",
  },
  {
    name: "a manifest nested 200,000 levels deep",
    args: (dir) =>
      manifest(dir, `{"kind":"sample","sample":"env-report","args":${"[".repeat(200_000)}`),
    kind: "invalid_manifest",
  },
  {
    name: "a manifest timeout past the maximum",
    args: (dir) =>
      manifest(dir, `{"kind":"sample","sample":"env-report","limits":{"timeout_ms":2147483648}}`),
    kind: "invalid_manifest",
  },
  {
    name: "a manifest whose stdin is a directory",
    args: (dir) => manifest(dir, `{"kind":"sample","sample":"env-report","stdin":"."}`),
    kind: "invalid_argument",
  },
  {
    name: "a manifest with a NUL in a path",
    args: (dir) => manifest(dir, `{"kind":"wasm-run","module":"a\\u0000b.wasm"}`),
    kind: "invalid_manifest",
  },
];

Deno.test("hostile inputs each give their own error_kind, never internal", async () => {
  const failures: string[] = [];
  const queue = [...CORPUS];
  const worker = async () => {
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
      const r = await wasp(await c.args(await tree()));
      const got = r.envelope.error_kind;
      if (
        got === "internal" || got !== c.kind ||
        (c.exit !== undefined && r.envelope.exit_code !== c.exit)
      ) {
        failures.push(`${c.name}: ${got} (exit ${r.envelope.exit_code}): ${r.envelope.error}`);
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  assertEquals(failures, []);
});
