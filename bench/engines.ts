/**
 * Engine benchmark: per-run wall time of `wasp run` on the same guest with each engine
 * (medians of alternating runs, new process each), and the cost of copying in and syncing
 * back a read-write grant of 1,000 small files under the wasmer engine.
 *
 *   deno task bench:engines [--runs N]
 * @module
 */
import { cGuest } from "../tests/helpers/guests.ts";
import { median, runsArg, timed } from "./stats.ts";

const RUNS = runsArg(15);
const root = new URL("../", import.meta.url).pathname;
const hello = await cGuest("hello");
const fsops = await cGuest("fsops");

async function wasp(args: string[]): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}main.ts`, "run", ...args],
    stdout: "piped",
  }).output();
  const envelope = JSON.parse(new TextDecoder().decode(out.stdout));
  if (envelope.status !== "success") throw new Error(JSON.stringify(envelope));
}

const grant = await Deno.makeTempDir({ prefix: "wasp-bench-grant-" });
for (let i = 0; i < 1000; i++) await Deno.writeTextFile(`${grant}/f${i}.txt`, `file ${i}\n`);
const small = ["--allow-dir", `${grant}::/workspace/g`];

const cases: Record<string, string[]> = {
  "wasp   hello": [hello, "--engine", "wasp"],
  "wasmer hello": [hello, "--engine", "wasmer"],
  "wasp   1000 files": [fsops, "--engine", "wasp", ...small, "--", "write:/workspace/g/f0.txt:x"],
  "wasmer 1000 files": [fsops, "--engine", "wasmer", ...small, "--", "write:/workspace/g/f0.txt:x"],
};
const samples: Record<string, number[]> = {};
for (const [name, args] of Object.entries(cases)) {
  samples[name] = [];
  await wasp(args);
}
for (let i = 0; i < RUNS; i++) {
  for (const [name, args] of Object.entries(cases)) {
    samples[name].push(await timed(() => wasp(args)));
  }
}
console.log(`runs: ${RUNS} each, alternating, ${Deno.build.target}, deno ${Deno.version.deno}`);
for (const [name, xs] of Object.entries(samples)) {
  console.log(`${name.padEnd(18)} median ${median(xs).toFixed(1)} ms`);
}
const sync = median(samples["wasmer 1000 files"]) - median(samples["wasmer hello"]);
console.log(
  `wasmer engine overhead vs wasp: ${
    (median(samples["wasmer hello"]) - median(samples["wasp   hello"])).toFixed(1)
  } ms per run`,
);
console.log(`wasmer copy-in + sync-back of 1,000 small files: ${sync.toFixed(1)} ms`);
await Deno.remove(grant, { recursive: true });
