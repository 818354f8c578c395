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
