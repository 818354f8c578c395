/**
 * Every third-party import of wasp, with full pinned specifiers, so that a run from a URL
 * (which does not see the repo's import map) resolves exactly the same packages.
 * @module
 */

/** Loads the wabt toolkit (WAT → wasm). Imported lazily: only commands that assemble pay. */
export async function loadWabt() {
  // Full specifiers on purpose: a run from a URL does not see deno.json's import map.
  // deno-lint-ignore no-import-prefix
  const mod = await import("npm:wabt@1.0.39");
  return await mod.default();
}

/** Loads jsonc-parser (JSON with comments, as used by task manifests). */
export async function loadJsonc() {
  // deno-lint-ignore no-import-prefix
  return await import("npm:jsonc-parser@3.3.1");
}

/** The pinned Wasmer JS SDK entry (its browser build; the Node build breaks on Deno's Worker). */
export async function loadWasmer() {
  // deno-lint-ignore no-import-prefix
  return await import("npm:@wasmer/sdk@0.16.0/browser");
}

/**
 * Host path of the SDK's runtime wasm, the one extra file the walled child must read when it
 * runs the wasmer engine. Null when the package is not resolvable (not cached).
 */
export function wasmerRuntimeWasmPath(): string | null {
  const entry = import.meta.resolve("npm:@wasmer/sdk@0.16.0/browser");
  if (!entry.startsWith("file:")) return null;
  return decodeURIComponent(new URL("../pkg/wasmer_sdk_js_bg.wasm", entry).pathname);
}
