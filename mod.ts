/**
 * wasp as a library: run WASI guests behind both walls from TypeScript.
 *
 * ```ts
 * import { run } from "./mod.ts";
 * const envelope = await run({ module: "task.wasm", env: [["TASK_ID", "abc123"]] });
 * console.log(envelope.status, envelope.stdout);
 * ```
 * @module
 */
export { run, type RunOptions, runPolicy } from "./src/run.ts";
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
export { exitStatusFor, WaspError } from "./src/envelope.ts";
export { DEFAULT_LIMITS, type Limits } from "./src/limits.ts";
export { VERSION } from "./src/version.ts";
