/**
 * What a hostile guest tries against the host (issue 12): gathered writes that would make the
 * host allocate gigabytes, out-of-bounds result pointers, oversized broker requests, wrong
 * import signatures, BOM-prefixed paths and files grown past --max-file-size.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { watGuest } from "./helpers/guests.ts";
import { exists, tree, wasp } from "./helpers/wasp.ts";
import { BIG_FD, gatherWat, HOSTILE_IMPORTS, open, OPEN_BIG } from "./helpers/hostile_wat.ts";

const MIB = 1024 * 1024;

/** A module whose exit code is the i32 `expr`. */
function exitWith(data: string, expr: string, pages = 1): string {
  return `(module ${HOSTILE_IMPORTS} (memory (export "memory") ${pages}) ${data}
    (func (export "_start") (call $exit ${expr})))`;
}

Deno.test("fd_write of 4 GiB gathered to stdout keeps the cap and stops at 4x", async () => {
  const m = await watGuest("gather-stdout", gatherWat("(i32.const 1)"));
  const r = await wasp(["run", m, "--max-output", "1mb"]);
  assertEquals(r.envelope.error_kind, "output_limit", r.envelope.error ?? "");
  assertEquals(r.envelope.stdout.length, MIB);
  assertEquals(r.envelope.stdout_truncated, true);
});

Deno.test("fd_write of 4 GiB gathered to a file stops at --max-file-size", async () => {
  const dir = await tree();
  const m = await watGuest("gather-file", gatherWat(BIG_FD, OPEN_BIG, 3 * MIB));
  const r = await wasp(["run", m, "--allow-dir", dir, "--max-file-size", "3mb"]);
  assertEquals(r.envelope.exit_code, 0, r.envelope.error ?? "");
  assertEquals((await Deno.stat(`${dir}/big`)).size, 3 * MIB);
  assertEquals(r.envelope.policy?.limits.max_file_size_bytes, 3 * MIB);
});

Deno.test("--max-file-size refuses allocate, set_size and writes at the limit with EFBIG", async () => {
  const dir = await tree();
  const fd = "(i32.load (i32.const 200))";
  const m = await watGuest(
    "file-size-limit",
    exitWith(
      `(data (i32.const 100) "f") (data (i32.const 300) "\\00\\01\\00\\00\\10\\00\\00\\00")`,
      `(if ${open(100, 1, 1)} (then (call $exit (i32.const 90))))
       (if (i32.ne (call $fd_allocate ${fd} (i64.const 0) (i64.const 2097152)) (i32.const 22))
         (then (call $exit (i32.const 91))))
       (if (i32.ne (call $set_size ${fd} (i64.const 1048577)) (i32.const 22))
         (then (call $exit (i32.const 92))))
       (if (call $set_size ${fd} (i64.const 1048576)) (then (call $exit (i32.const 93))))
       ;; one iovec of 16 bytes at 256: a pwrite at the limit is EFBIG, one crossing it is cut
       (if (i32.ne (call $fd_pwrite ${fd} (i32.const 300) (i32.const 1) (i64.const 1048576)
         (i32.const 400)) (i32.const 22)) (then (call $exit (i32.const 94))))
       (if (call $fd_pwrite ${fd} (i32.const 300) (i32.const 1) (i64.const 1048570) (i32.const 400))
         (then (call $exit (i32.const 95))))
       (i32.load (i32.const 400))`,
    ),
  );
  const r = await wasp(["run", m, "--allow-dir", dir, "--max-file-size", "1mb"]);
  assertEquals(r.envelope.exit_code, 6, r.envelope.error ?? "");
  assertEquals((await Deno.stat(`${dir}/f`)).size, MIB);
});

Deno.test("path_open with an out-of-bounds result pointer creates nothing (EFAULT)", async () => {
  const dir = await tree();
  const m = await watGuest(
    "path-open-efault",
    exitWith(`(data (i32.const 100) "made")`, open(100, 4, 1, 65534)),
  );
  const r = await wasp(["run", m, "--allow-dir", dir]);
  assertEquals(r.envelope.exit_code, 21);
  assertEquals(await exists(`${dir}/made`), false);
});

Deno.test("fd_write with an out-of-bounds nwritten emits nothing (EFAULT)", async () => {
  const m = await watGuest(
    "fd-write-efault-silent",
    exitWith(
      `(data (i32.const 0) "\\10\\00\\00\\00\\05\\00\\00\\00") (data (i32.const 16) "leak!")`,
      "(call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 65533))",
    ),
  );
  const r = await wasp(["run", m]);
  assertEquals(r.envelope.exit_code, 21);
  assertEquals(r.envelope.stdout, "");
});

Deno.test("path_symlink with a 70 MiB target is ENAMETOOLONG for the guest, not internal", async () => {
  const dir = await tree();
  const len = 70 * MIB;
  const m = await watGuest(
    "symlink-huge-target",
    exitWith(
      `(data (i32.const 100) "l")`,
      `(memory.fill (i32.const 1024) (i32.const 97) (i32.const ${len}))
       (call $symlink (i32.const 1024) (i32.const ${len}) (i32.const 3) (i32.const 100) (i32.const 1))`,
      1200,
    ),
  );
  const r = await wasp(["run", m, "--allow-dir", dir, "--max-memory", "100mb"]);
  assertEquals(r.envelope.exit_code, 37, r.envelope.error ?? "");
  assertEquals(await exists(`${dir}/l`), false);
});

Deno.test("a wrong WASI import signature is invalid_module naming the import", async () => {
  const m = await watGuest(
    "wrong-signature",
    `(module
      (import "wasi_snapshot_preview1" "fd_write" (func (param i64 i32 i32 i32) (result i32)))
      (memory (export "memory") 1) (func (export "_start")))`,
  );
  const r = await wasp(["run", m]);
  assertEquals(r.code, 2);
  assertEquals(r.envelope.error_kind, "invalid_module");
  assertMatch(r.envelope.error!, /wasi_snapshot_preview1\.fd_write as \(i64, i32, i32, i32\)/);
  const result = await watGuest(
    "wrong-result",
    `(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32) (result i64)))
      (memory (export "memory") 1) (func (export "_start")))`,
  );
  const r2 = await wasp(["run", result]);
  assertEquals(r2.envelope.error_kind, "invalid_module");
  assertMatch(r2.envelope.error!, /proc_exit/);
});

Deno.test("a guest path with a leading BOM keeps it (the host file is named with U+FEFF)", async () => {
  const dir = await tree();
  const m = await watGuest(
    "bom-path",
    exitWith(`(data (i32.const 100) "\\ef\\bb\\bfbom.txt")`, open(100, 10, 1)),
  );
  const r = await wasp(["run", m, "--allow-dir", dir]);
  assertEquals(r.envelope.exit_code, 0);
  const names = [...Deno.readDirSync(dir)].map((e) => e.name);
  assertEquals(names, ["\uFEFFbom.txt"]);
  assert(!(await exists(`${dir}/bom.txt`)));
});

Deno.test("one 64 MiB fd_write reaches the envelope whole and in time (no quadratic decoding)", async () => {
  const size = 64 * MIB;
  const m = await watGuest(
    "write-64mib",
    exitWith(
      `(data (i32.const 0) "\\10\\00\\00\\00\\00\\00\\00\\04")`,
      `(memory.fill (i32.const 16) (i32.const 120) (i32.const ${size}))
       (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))`,
      1025,
    ),
  );
  const r = await wasp(["run", m, "--max-output", "64mb", "--timeout", "20000"]);
  assertEquals(r.envelope.error_kind, null, r.envelope.error ?? "");
  assertEquals(r.envelope.stdout.length, size);
  assertEquals(r.envelope.stdout_truncated, false);
});
