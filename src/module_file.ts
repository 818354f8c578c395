/**
 * Cheap checks on a module file before a child is spawned for it.
 * @module
 */
import { WaspError } from "./envelope.ts";

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Throws module_not_found / invalid_module unless `path` is a readable core wasm module. */
export function checkModuleFile(path: string, given: string): void {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new WaspError(
        "module_not_found",
        `module ${given} does not exist; check the path or build it first`,
      );
    }
    throw new WaspError(
      "module_not_found",
      `module ${given} cannot be read; check its permissions`,
    );
  }
  try {
    if (!file.statSync().isFile) {
      throw new WaspError("invalid_module", `module ${given} is not a file; pass a .wasm file`);
    }
    const head = new Uint8Array(8);
    let got = 0;
    while (got < 8) {
      const n = file.readSync(head.subarray(got));
      if (n === null) break;
      got += n;
    }
    if (got < 8 || MAGIC.some((b, i) => head[i] !== b)) {
      throw new WaspError(
        "invalid_module",
        `module ${given} is not a WebAssembly binary (bad magic header); compile it for wasm32-wasi`,
      );
    }
    if (head[4] !== 1 || head[5] !== 0 || head[6] !== 0 || head[7] !== 0) {
      throw new WaspError(
        "invalid_module",
        `module ${given} is a WebAssembly component or unknown version; wasp runs WASI preview1 core modules`,
      );
    }
  } finally {
    file.close();
  }
}
