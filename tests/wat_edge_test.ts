import { assertEquals } from "./helpers/assert.ts";
import { watGuest } from "./helpers/guests.ts";
import { tree, wasp } from "./helpers/wasp.ts";

const IMPORTS = `
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasi_snapshot_preview1" "proc_raise" (func $raise (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func $set_flags (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink" (func $symlink (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_readlink"
    (func $readlink (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)`;

/** A module whose exit code is the i32 `expr` evaluates to. */
function exitWith(data: string, expr: string): string {
  return `(module ${IMPORTS}\n ${data}\n (func (export "_start") (call $exit ${expr})))`;
}

const CASES: { name: string; wat: string; want: number; dir?: boolean }[] = [
  { name: "proc_raise is ENOSYS", wat: exitWith("", "(call $raise (i32.const 6))"), want: 52 },
  {
    name: "fd_write with an out-of-bounds iovec is EFAULT",
    wat: exitWith(
      `(data (i32.const 0) "\\f0\\ff\\00\\00\\ff\\ff\\00\\00")`,
      "(call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16))",
    ),
    want: 21,
  },
  {
    name: "fd_write with a result pointer past memory is EFAULT",
    wat: exitWith(
      `(data (i32.const 0) "\\10\\00\\00\\00\\01\\00\\00\\00") (data (i32.const 16) "x")`,
      "(call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 65534))",
    ),
    want: 21,
  },
  {
    name: "fd_seek with an unknown whence is EINVAL",
    wat: exitWith("", "(call $fd_seek (i32.const 3) (i64.const 0) (i32.const 7) (i32.const 0))"),
    want: 28,
    dir: true,
  },
  {
    name: "path_open with unknown oflags is EINVAL",
    wat: exitWith(
      `(data (i32.const 100) "f")`,
      "(call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 64) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 200))",
    ),
    want: 28,
    dir: true,
  },
  {
    name: "path_open with invalid UTF-8 is EILSEQ",
    wat: exitWith(
      `(data (i32.const 100) "\\ff\\fe")`,
      "(call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 2) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 200))",
    ),
    want: 25,
    dir: true,
  },
  {
    name: "path_open of an absolute path is ENOTCAPABLE",
    wat: exitWith(
      `(data (i32.const 100) "/etc/passwd")`,
      "(call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 11) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 200))",
    ),
    want: 76,
    dir: true,
  },
  {
    name: "fd_fdstat_set_flags accepts DSYNC, as path_open does",
    wat: exitWith("", "(call $set_flags (i32.const 1) (i32.const 2))"),
    want: 0,
  },
  {
    name: "fd_fdstat_set_flags refuses an undefined flag bit with EINVAL",
    wat: exitWith("", "(call $set_flags (i32.const 1) (i32.const 32))"),
    want: 28,
  },
  {
    name: "fd_readdir fills a small buffer completely (truncated entry)",
    wat: exitWith(
      "",
      "(drop (call $fd_readdir (i32.const 3) (i32.const 100) (i32.const 30) (i64.const 0) (i32.const 0))) (i32.load (i32.const 0))",
    ),
    want: 30,
    dir: true,
  },
  {
    name: "fd_readdir at a cookie past the end returns nothing",
    wat: exitWith(
      "",
      "(drop (call $fd_readdir (i32.const 3) (i32.const 100) (i32.const 300) (i64.const 999) (i32.const 0))) (i32.load (i32.const 0))",
    ),
    want: 0,
    dir: true,
  },
  {
    name: "path_symlink refuses an absolute target with EPERM (as wasmtime does)",
    wat: exitWith(
      `(data (i32.const 100) "/etc/passwd") (data (i32.const 120) "abs")`,
      "(call $symlink (i32.const 100) (i32.const 11) (i32.const 3) (i32.const 120) (i32.const 3))",
    ),
    want: 63,
    dir: true,
  },
  {
    name: "path_symlink refuses a target that climbs out of the grant with EPERM",
    wat: exitWith(
      `(data (i32.const 100) "../../x/y") (data (i32.const 120) "out")`,
      "(call $symlink (i32.const 100) (i32.const 9) (i32.const 3) (i32.const 120) (i32.const 3))",
    ),
    want: 63,
    dir: true,
  },
  {
    name: "path_symlink stores a relative target verbatim; readlink returns it",
    wat: exitWith(
      `(data (i32.const 100) "./x/./y//") (data (i32.const 120) "rel")`,
      `(if (call $symlink (i32.const 100) (i32.const 9) (i32.const 3) (i32.const 120) (i32.const 3))
         (then (call $exit (i32.const 99))))
       (drop (call $readlink (i32.const 3) (i32.const 120) (i32.const 3) (i32.const 200) (i32.const 64) (i32.const 0)))
       (i32.add (i32.load (i32.const 0)) (i32.load8_u (i32.const 200)))`,
    ),
    want: 9 + ".".charCodeAt(0),
    dir: true,
  },
  {
    name: "environ_get lays out pointers then NUL-terminated strings",
    wat: exitWith(
      "",
      "(drop (call $environ_get (i32.const 0) (i32.const 64))) (i32.add (i32.eq (i32.load (i32.const 0)) (i32.const 64)) (i32.load8_u (i32.add (i32.const 64) (i32.const 3))))",
    ),
    want: 1 + 0,
  },
  {
    name: "args_get gives argv[0] as the module was named",
    wat: exitWith(
      "",
      "(drop (call $args_get (i32.const 0) (i32.const 64))) (i32.load8_u (i32.const 64))",
    ),
    want: "/".charCodeAt(0),
  },
];

for (const c of CASES) {
  Deno.test(`preview1 edge: ${c.name}`, async () => {
    const module = await watGuest(c.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase(), c.wat);
    const dir = await tree({ "a.txt": "a" });
    const args = ["run", module, "--env", "A=1"];
    if (c.dir) args.push("--allow-dir", dir);
    const r = await wasp(args);
    assertEquals(r.envelope.exit_code, c.want, r.envelope.error ?? "");
  });
}
