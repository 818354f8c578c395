;; workspace-probe: prints the contents of input.txt from the first granted directory
;; (preopen fd 3). Exits 1 with a message on stderr when there is no such file.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; 0: iovec, 8: scratch (fd / counts), 16: file name, 64: error text, 1024..: read buffer
  (data (i32.const 16) "input.txt")
  (data (i32.const 64) "workspace-probe: cannot open input.txt; grant a workspace that contains it\n")
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    (local $fd i32) (local $n i32)
    ;; rights: fd_read (2) | fd_seek (4)
    (if (call $path_open (i32.const 3) (i32.const 1) (i32.const 16) (i32.const 9)
          (i32.const 0) (i64.const 6) (i64.const 0) (i32.const 0) (i32.const 8))
      (then
        (call $write (i32.const 2) (i32.const 64) (i32.const 75))
        (call $proc_exit (i32.const 1))))
    (local.set $fd (i32.load (i32.const 8)))
    (block $done
      (loop $more
        (i32.store (i32.const 0) (i32.const 1024))
        (i32.store (i32.const 4) (i32.const 60000))
        (br_if $done (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 12)))
        (local.set $n (i32.load (i32.const 12)))
        (br_if $done (i32.eqz (local.get $n)))
        (call $write (i32.const 1) (i32.const 1024) (local.get $n))
        (br $more)))))
