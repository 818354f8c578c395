/**
 * WAT sources of hostile guests shared by the hardening tests and the hostile-input corpus.
 * @module
 */

/** The preview1 imports the hostile guests use. */
export const HOSTILE_IMPORTS = `
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_pwrite"
    (func $fd_pwrite (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_allocate" (func $fd_allocate (param i32 i64 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_set_size"
    (func $set_size (param i32 i64) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink"
    (func $symlink (param i32 i32 i32 i32 i32) (result i32)))`;

/** Every file right wasp knows (rights base and inheriting for path_open). */
export const ALL_RIGHTS = "(i64.const 1073741823)";

/** `path_open(3, name at ptr/len, oflags) -> fd stored at 200`; evaluates to the errno. */
export function open(ptr: number, len: number, oflags: number, out = 200): string {
  return `(call $path_open (i32.const 3) (i32.const 0) (i32.const ${ptr}) (i32.const ${len})
    (i32.const ${oflags}) ${ALL_RIGHTS} ${ALL_RIGHTS} (i32.const 0) (i32.const ${out}))`;
}

/**
 * A guest with 17 pages of memory that points 4,096 iovecs of 1 MiB each at the same MiB
 * (4 GiB gathered) and writes them in one fd_write to `fd` (an i32 expression); exits with
 * the errno, or 0 when nwritten is `expect`. The name "big" is at 33000 (3 bytes) for a
 * prelude that opens it, storing the fd at 33100 (`BIG_FD`).
 */
export function gatherWat(fd: string, prelude = "", expect = -1): string {
  return `(module ${HOSTILE_IMPORTS}
  (memory (export "memory") 17)
  (data (i32.const 33000) "big")
  (func (export "_start") (local $i i32) (local $err i32)
    ${prelude}
    (loop $fill
      (i32.store (i32.mul (local.get $i) (i32.const 8)) (i32.const 65536))
      (i32.store (i32.add (i32.mul (local.get $i) (i32.const 8)) (i32.const 4)) (i32.const 1048576))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 4096))))
    (local.set $err (call $fd_write ${fd} (i32.const 0) (i32.const 4096) (i32.const 40000)))
    (if (local.get $err) (then (call $exit (local.get $err))))
    (call $exit (i32.ne (i32.load (i32.const 40000)) (i32.const ${expect})))))`;
}

/** Opens "big" (created) in the first preopen for `gatherWat`; exits 90 when it cannot. */
export const OPEN_BIG = `(if ${open(33000, 3, 1, 33100)} (then (call $exit (i32.const 90))))`;

/** The fd `OPEN_BIG` stored. */
export const BIG_FD = "(i32.load (i32.const 33100))";
