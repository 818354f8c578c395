;; env-report: prints the environment the guest was given, one KEY=VALUE per line.
(module
  (import "wasi_snapshot_preview1" "environ_sizes_get"
    (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get"
    (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 0: count, 4: size, 8: iovec, 16: nwritten, 1024: pointer array, then the strings
  (func (export "_start")
    (local $count i32) (local $size i32) (local $buf i32) (local $i i32) (local $pages i32)
    (drop (call $environ_sizes_get (i32.const 0) (i32.const 4)))
    (local.set $count (i32.load (i32.const 0)))
    (local.set $size (i32.load (i32.const 4)))
    (local.set $buf (i32.add (i32.const 1024) (i32.mul (local.get $count) (i32.const 4))))
    ;; grow memory when the environment does not fit in the first page
    (local.set $pages
      (i32.sub
        (i32.div_u (i32.add (i32.add (local.get $buf) (local.get $size)) (i32.const 65535))
          (i32.const 65536))
        (memory.size)))
    (if (i32.gt_s (local.get $pages) (i32.const 0))
      (then (drop (memory.grow (local.get $pages)))))
    (drop (call $environ_get (i32.const 1024) (local.get $buf)))
    ;; each string ends in NUL: turn the NULs into newlines and print the block at once
    (block $done
      (loop $scan
        (br_if $done (i32.ge_u (local.get $i) (local.get $size)))
        (if (i32.eqz (i32.load8_u (i32.add (local.get $buf) (local.get $i))))
          (then (i32.store8 (i32.add (local.get $buf) (local.get $i)) (i32.const 10))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scan)))
    (i32.store (i32.const 8) (local.get $buf))
    (i32.store (i32.const 12) (local.get $size))
    (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 16)))))
