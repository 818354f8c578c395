/**
 * Baseline for the benchmarks: a bare `deno run` of Deno's built-in node:wasi on a module,
 * with no walls, no policy and no envelope. A second argument is preopened as /ws; arguments
 * after `--` are the guest's (its argv[0] is the module path).
 * @module
 */
import { WASI } from "node:wasi";

const dash = Deno.args.indexOf("--");
const [path, ws] = dash === -1 ? Deno.args : Deno.args.slice(0, dash);
const guestArgs = dash === -1 ? [] : Deno.args.slice(dash + 1);
const wasi = new WASI({
  version: "preview1",
  args: [path, ...guestArgs],
  env: {},
  returnOnExit: true,
  preopens: ws ? { "/ws": ws } : {},
});
const module = await WebAssembly.compile(await Deno.readFile(path));
const imports = wasi.getImportObject() as WebAssembly.Imports;
const instance = await WebAssembly.instantiate(module, imports);
wasi.start(instance);
