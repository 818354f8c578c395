;; workspace-write: creates (or replaces) agent-note.txt in the first granted directory
;; (preopen fd 3) and prints "written". Exits 1 with a message on stderr when it cannot.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "agent-note.txt")
  (data (i32.const 64) "note left by the wasp sample workspace-write\n")
  (data (i32.const 128) "written\n")
  (data (i32.const 160) "workspace-write: cannot write agent-note.txt; grant a writable workspace\n")
  (func $write (param $fd i32) (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
  (func $fail
    (drop (call $write (i32.const 2) (i32.const 160) (i32.const 73)))
    (call $proc_exit (i32.const 1)))
  (func (export "_start")
    (local $fd i32)
    ;; oflags: creat (1) | trunc (8); rights: fd_write (64)
    (if (call $path_open (i32.const 3) (i32.const 1) (i32.const 16) (i32.const 14)
          (i32.const 9) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 8))
      (then (call $fail)))
    (local.set $fd (i32.load (i32.const 8)))
    (if (call $write (local.get $fd) (i32.const 64) (i32.const 45)) (then (call $fail)))
    (drop (call $fd_close (local.get $fd)))
    (drop (call $write (i32.const 1) (i32.const 128) (i32.const 8)))))
