/**
 * Start-up benchmark: cold `wasp run hello.wasm` (a new process each time, walled child
 * included) against a bare `deno run` of node:wasi on the same module, measured
 * alternately in one run on one machine. Prints medians and their ratio.
 *
 *   deno task bench [--runs N]
 * @module
 */
import { cGuest } from "../tests/helpers/guests.ts";

const runsFlag = Deno.args.indexOf("--runs");
const RUNS = runsFlag >= 0 ? Number(Deno.args[runsFlag + 1]) : 30;
const root = new URL("../", import.meta.url).pathname;
const hello = await cGuest("hello");

const commands: Record<string, string[]> = {
  "wasp run": [
    "run",
    "--allow-read",
    "--allow-write",
    "--allow-run",
    "--allow-env",
    `${root}main.ts`,
    "run",
    hello,
  ],
  "node:wasi (bare)": ["run", "--allow-read", `${root}bench/node_wasi_baseline.ts`, hello],
};

async function once(args: string[]): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "null" })
    .output();
  const ms = performance.now() - t0;
  if (!new TextDecoder().decode(out.stdout).includes("hello from wasp")) {
    throw new Error(`${args.join(" ")} did not run the guest`);
  }
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const samples: Record<string, number[]> = {};
for (const name of Object.keys(commands)) {
  samples[name] = [];
  await once(commands[name]); // warm Deno's module cache; every measured run is a new process
}
for (let i = 0; i < RUNS; i++) {
  for (const [name, args] of Object.entries(commands)) samples[name].push(await once(args));
}

const wasp = median(samples["wasp run"]);
const base = median(samples["node:wasi (bare)"]);
console.log(`runs: ${RUNS} each, alternating, ${Deno.build.target}, deno ${Deno.version.deno}`);
for (const [name, xs] of Object.entries(samples)) {
  console.log(
    `${name.padEnd(18)} median ${median(xs).toFixed(1)} ms  min ${Math.min(...xs).toFixed(1)} ms`,
  );
}
console.log(`ratio wasp / node:wasi: ${(wasp / base).toFixed(2)}x (goal <= 1.30x)`);
