/**
 * A pool Worker's warm-up: before it is walled and waits, the Worker runs a tiny built-in
 * guest once, so that V8 has compiled the WASI host's code by the time the real guest comes
 * (a fresh isolate otherwise compiles every host function on its first call, which costs a
 * short run several milliseconds). The warm-up touches no file, and its output goes nowhere;
 * its instance, memory and host are dropped before the run.
 * @module
 */
import { DEFAULT_LIMITS } from "../limits.ts";
import type { EngineIo } from "../engine/mod.ts";
import { prepareModule, runPrepared } from "../engine/wasp.ts";

/**
 * The guest, assembled from this WAT: it asks for its args and environment, stats fd 1,
 * reads the clock, writes "warm" and a newline to fd 1 and exits 0 (the path a C program's start-up takes).
 *
 * ```wat
 * (module
 *   (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
 *   (import "wasi_snapshot_preview1" "args_get" (func $args (param i32 i32) (result i32)))
 *   (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
 *   (import "wasi_snapshot_preview1" "environ_get" (func $env (param i32 i32) (result i32)))
 *   (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fdstat (param i32 i32) (result i32)))
 *   (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
 *   (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
 *   (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
 *   (memory (export "memory") 1)
 *   (data (i32.const 512) "warm\n")
 *   (func (export "_start")
 *     (drop (call $args_sizes (i32.const 0) (i32.const 4)))
 *     (drop (call $args (i32.const 16) (i32.const 64)))
 *     (drop (call $env_sizes (i32.const 0) (i32.const 4)))
 *     (drop (call $env (i32.const 16) (i32.const 64)))
 *     (drop (call $fdstat (i32.const 1) (i32.const 128)))
 *     (drop (call $clock (i32.const 1) (i64.const 1) (i32.const 160)))
 *     (i32.store (i32.const 400) (i32.const 512))
 *     (i32.store (i32.const 404) (i32.const 5))
 *     (drop (call $write (i32.const 1) (i32.const 400) (i32.const 1) (i32.const 408)))
 *     (call $exit (i32.const 0))))
 * ```
 */
const WARM_UP_WASM =
  "AGFzbQEAAAABHQVgAn9/AX9gA39+fwF/YAR/f39/AX9gAX8AYAAAAq8CCBZ3YXNpX3NuYXBzaG90X3ByZXZpZXcxDmFyZ3Nfc2l6ZXNfZ2V0AAAWd2FzaV9zbmFwc2hvdF9wcmV2aWV3MQhhcmdzX2dldAAAFndhc2lfc25hcHNob3RfcHJldmlldzERZW52aXJvbl9zaXplc19nZXQAABZ3YXNpX3NuYXBzaG90X3ByZXZpZXcxC2Vudmlyb25fZ2V0AAAWd2FzaV9zbmFwc2hvdF9wcmV2aWV3MQ1mZF9mZHN0YXRfZ2V0AAAWd2FzaV9zbmFwc2hvdF9wcmV2aWV3MQ5jbG9ja190aW1lX2dldAABFndhc2lfc25hcHNob3RfcHJldmlldzEIZmRfd3JpdGUAAhZ3YXNpX3NuYXBzaG90X3ByZXZpZXcxCXByb2NfZXhpdAADAwIBBAUDAQABBxMCBm1lbW9yeQIABl9zdGFydAAIClYBVABBAEEEEAAaQRBBwAAQARpBAEEEEAIaQRBBwAAQAxpBAUGAARAEGkEBQgFBoAEQBRpBkANBgAQ2AgBBlANBBTYCAEEBQZADQQFBmAMQBhpBABAHCwsMAQBBgAQLBXdhcm0K";

const quiet: EngineIo = {
  output() {},
  symlink: () => "EPERM",
  lutimes: () => "EPERM",
  exclusive: (fn) => fn(),
  shared: (fn) => fn(),
  beginSync: () => false,
};

/** Runs the warm-up guest once; never throws (a warm-up that fails only costs speed). */
export function warmUp(): void {
  try {
    const bytes = Uint8Array.from(atob(WARM_UP_WASM), (c) => c.charCodeAt(0));
    const prepared = prepareModule(bytes, DEFAULT_LIMITS.maxMemoryBytes, "warm-up");
    if ("kind" in prepared) return;
    runPrepared(prepared, {
      modulePath: "warm-up",
      module: bytes,
      moduleName: "warm-up",
      args: ["warm-up"],
      env: [],
      dirs: [],
      limits: { ...DEFAULT_LIMITS },
      stdin: new Uint8Array(0),
      symlinks: "deny",
      treeLock: null,
      readOnlyPaths: [],
    }, quiet);
  } catch {
    // nothing to undo
  }
}
