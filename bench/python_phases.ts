/**
 * Where a cold Python start goes, measured inside one fresh process the way wasp's child
 * does it (synchronous compile, node:wasi-free instantiate and `_start` of print(1) through
 * node:wasi): read, SHA-256, compile, instantiate, interpreter start. Prints one JSON line.
 *
 *   deno run --allow-read bench/python_phases.ts <python.wasm>
 * @module
 */
import { createHash } from "node:crypto";
import { WASI } from "node:wasi";

const [path] = Deno.args;
const phases: Record<string, number> = {};
let t = performance.now();
const lap = (name: string) => {
  const now = performance.now();
  phases[name] = Math.round(now - t);
  t = now;
};
const bytes = Deno.readFileSync(path);
lap("read");
createHash("sha256").update(bytes).digest("hex");
lap("sha256");
const module = new WebAssembly.Module(bytes);
lap("compile");
const wasi = new WASI({
  version: "preview1",
  args: ["python", "-c", "print(1)"],
  env: {},
  returnOnExit: true,
  preopens: {},
});
const instance = new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports);
lap("instantiate");
wasi.start(instance);
lap("start");
console.log(JSON.stringify({ bytes: bytes.length, ...phases }));
