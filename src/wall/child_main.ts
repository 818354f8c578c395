/**
 * Entry point of the walled child for the wasp engine (see child_core.ts). It imports nothing
 * of the wasmer engine: Deno loads every module a child's entry can reach, literal dynamic
 * imports included, when the child starts.
 * @module
 */
import { runChild } from "./child_core.ts";
import { waspEngine } from "../engine/wasp.ts";

// Runs only as the walled child (a process's main module, or the worker wall's Worker), so
// that a parent can import this module merely to have it cached for a remote run.
if (import.meta.main || "WorkerGlobalScope" in globalThis) {
  await runChild((name) => {
    if (name === "wasp") return Promise.resolve(waspEngine);
    return Promise.reject(new Error(`the ${name} engine runs from child_wasmer.ts`));
  });
}
