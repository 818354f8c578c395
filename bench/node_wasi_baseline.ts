/**
 * Baseline for the benchmarks: a bare `deno run` of Deno's built-in node:wasi on a module,
 * with no walls, no policy and no envelope. A second argument is preopened as /ws.
 * @module
 */
import { WASI } from "node:wasi";

const [path, ws] = Deno.args;
const wasi = new WASI({
  version: "preview1",
  args: [path],
  env: {},
  returnOnExit: true,
  preopens: ws ? { "/ws": ws } : {},
});
const module = await WebAssembly.compile(await Deno.readFile(path));
const imports = wasi.getImportObject() as WebAssembly.Imports;
const instance = await WebAssembly.instantiate(module, imports);
wasi.start(instance);
