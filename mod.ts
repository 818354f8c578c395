/**
 * wasp as a library: run WASI preview1 guests behind both walls from TypeScript and get the
 * same envelope the CLI prints. The CLI is a thin layer over these functions.
 *
 * ```ts
 * import { run, runPython, runTask } from "./mod.ts";
 *
 * const envelope = await run({
 *   module: "task.wasm",
 *   dirs: [{ host: "./workspace", guest: "/ws", access: "read-only" }],
 *   env: [["TASK_ID", "abc123"]],
 *   limits: { timeoutMs: 5000 },
 * });
 * if (envelope.status === "success") console.log(envelope.stdout);
 *
 * await runTask({ kind: "sample", sample: "env-report", env: { TASK_ID: "abc123" } });
 * await runPython({ code: "print(sum(range(10)))", limits: { timeoutMs: 10000 } });
 *
 * // output as the guest writes it, the envelope last
 * for await (const event of runStream({ module: "task.wasm" })) {
 *   if (event.type === "stdout") console.log(event.data);
 *   if (event.type === "result") console.log(event.status);
 * }
 *
 * // many runs: a warm pool of pre-walled, single-use Workers in this process
 * // (needs Deno's --unstable-worker-options and --allow-ffi for the kernel wall)
 * const pool = createPool({ size: 2 });
 * const fast = await pool.run({ module: "task.wasm" });
 * pool.close();
 * ```
 * @module
 */
export { run, type RunOptions, runPolicy } from "./src/run.ts";
export { runTask, type TaskOptions } from "./src/task.ts";
export {
  type OutputEvent,
  type ProgressEvent,
  type ResultEvent,
  type Runner,
  runStream,
  type StreamEvent,
  streamEvents,
  type StreamOptions,
} from "./src/report/stream_events.ts";
export type { OutputFormat, OutputListener } from "./src/wall/run_walled.ts";
export {
  createPool,
  Pool,
  type PoolCeiling,
  type PoolOptions,
  type PoolRunOptions,
  type PoolStats,
} from "./src/pool/pool.ts";
export { type PythonInput, runPython } from "./src/runtimes/python_run.ts";
export { PYTHON_RUNTIME } from "./src/runtimes/python_runtime.ts";
export { runSample, type SampleRunInput } from "./src/samples/sample_run.ts";
export { SAMPLES } from "./src/samples/registry.ts";
export { buildPolicy, summarize } from "./src/policy.ts";
export type {
  Access,
  DirGrant,
  DirRequest,
  EngineName,
  Policy,
  PolicyInput,
  StdinSource,
} from "./src/policy.ts";
export type { Envelope, ErrorKind, PolicySummary } from "./src/envelope.ts";
export type { Change, Denial, DenialRule, TraceEntry } from "./src/report/types.ts";
export { exitStatusFor, WaspError } from "./src/envelope.ts";
export { DEFAULT_LIMITS, type Limits } from "./src/limits.ts";
export type { WallKind } from "./src/wall/child_command.ts";
export { VERSION } from "./src/version.ts";
