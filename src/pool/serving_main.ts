/**
 * The walled serving process (see serving_wall.ts): `wasp serve` or `wasp mcp` with a warm
 * pool, inside the permissions its launcher gave it.
 * @module
 */
import { ceilingOf, type ServingConfig } from "./serving_wall.ts";
import { createPool, type PoolCeiling } from "./pool.ts";
import { serveRequests } from "./serve.ts";
import { serveMcp } from "../mcp/server.ts";
import { pythonModulePath } from "../runtimes/python_runtime.ts";
import { DEFAULT_LIMITS } from "../limits.ts";

/** Pre-walled Workers kept per permission set by a server's pool. */
export const SERVER_POOL_SIZE = 2;

/**
 * Largest module a server runs (32 MiB; the Python runtime is some 13 MB): a module is
 * instrumented and compiled on the serving thread, which stalls every other run meanwhile.
 */
export const SERVER_MAX_MODULE_BYTES = 32 * 1024 * 1024;

/** Serves as the config on the command line says, until the client goes. */
export async function servingMain(configJson: string): Promise<number> {
  const config = JSON.parse(configJson) as ServingConfig;
  const ceiling = ceilingOf(config);
  const python = await pythonModulePath().catch(() => null);
  const poolCeiling: PoolCeiling = {
    dirs: [...ceiling.aliases.values()],
    // built-in samples are assembled into the server's scratch directory
    moduleDirs: [...ceiling.moduleDirs, config.scratch],
    modules: python === null ? [] : [python],
    envKeys: [...ceiling.env.keys()],
    maxTimeoutMs: ceiling.timeoutMs,
    maxMemoryBytes: ceiling.maxMemoryBytes,
    maxOutputBytes: ceiling.maxOutputBytes,
    // each waiting request may hold this much stdin in the serving process
    maxStdinBytes: DEFAULT_LIMITS.maxStdinBytes,
    maxModuleBytes: SERVER_MAX_MODULE_BYTES,
  };
  if (config.kind === "mcp") {
    // the MCP server checks each call itself; the pool checks the built run again
    const pool = createPool({
      size: SERVER_POOL_SIZE,
      concurrency: ceiling.maxConcurrency,
      ceiling: poolCeiling,
    });
    try {
      await serveMcp(ceiling, pool);
    } finally {
      pool.close();
    }
    return 0;
  }
  const pool = createPool({
    size: SERVER_POOL_SIZE,
    concurrency: ceiling.maxConcurrency,
    ceiling: poolCeiling,
  });
  await serveRequests(ceiling, pool, config.baseDir);
  return 0;
}
