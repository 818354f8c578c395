/**
 * Baseline for the benchmarks: a bare `deno run` of Deno's built-in node:wasi on a module,
 * with no walls, no policy and no envelope. A second argument (unless empty) is preopened as /ws;
 * the rest are the guest's arguments.
 * @module
 */
import { WASI } from "node:wasi";

const [path, ws, ...argv] = Deno.args;
const wasi = new WASI({
  version: "preview1",
  args: [path, ...argv],
  env: {},
  returnOnExit: true,
  preopens: ws ? { "/ws": ws } : {},
});
const module = await WebAssembly.compile(await Deno.readFile(path));
const imports = wasi.getImportObject() as WebAssembly.Imports;
const instance = await WebAssembly.instantiate(module, imports);
wasi.start(instance);
