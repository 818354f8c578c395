/**
 * Entry point of the walled child for the wasmer engine (see child_core.ts): the wasp engine
 * plus the Wasmer SDK, loaded before the kernel wall goes up (after it, only the grants can be
 * read).
 * @module
 */
import { runChild } from "./child_core.ts";
import { waspEngine } from "../engine/wasp.ts";

// Runs only as the walled child (a process's main module, or the worker wall's Worker).
if (import.meta.main || "WorkerGlobalScope" in globalThis) {
  await runChild(async (name) => {
    if (name === "wasp") return waspEngine;
    if (name === "wasmer") {
      await (await import("../deps.ts")).loadWasmer();
      return (await import("../engine/wasmer.ts")).wasmerEngine;
    }
    throw new Error(`unknown engine ${name}`);
  });
}
