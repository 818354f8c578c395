/**
 * Cold-run benchmark: `wasp run` (a new process each time, walled child included) against a
 * bare `deno run` of node:wasi on the same module, measured alternately in one run on one
 * machine, for a hello guest and for a syscall-heavy guest (20k writes to stdout, 1k
 * create/write/close/unlink cycles in a granted directory). Prints medians and ratios.
 *
 *   deno task bench [--runs N] [--env KEY=VALUE]   (e.g. --env WASP_KERNEL_WALL=off)
 * @module
 */
import { cGuest } from "../tests/helpers/guests.ts";

const runsFlag = Deno.args.indexOf("--runs");
const RUNS = runsFlag >= 0 ? Number(Deno.args[runsFlag + 1]) : 30;
const envFlag = Deno.args.indexOf("--env");
const ENV: Record<string, string> = envFlag >= 0
  ? Object.fromEntries([Deno.args[envFlag + 1].split("=", 2)])
  : {};
const root = new URL("../", import.meta.url).pathname;
const ws = await Deno.makeTempDir({ prefix: "wasp-bench-" });

const WASP = ["run", "--allow-read", "--allow-write", "--allow-run", "--allow-env"];
const BASE = ["run", "--allow-read", "--allow-write", `${root}bench/node_wasi_baseline.ts`];

async function once(args: string[], expect: string): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    env: ENV,
    stdout: "piped",
    stderr: "null",
  }).output();
  const ms = performance.now() - t0;
  if (!new TextDecoder().decode(out.stdout).includes(expect)) {
    throw new Error(`${args.join(" ")} did not run the guest`);
  }
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Measures one guest both ways, alternating; prints the medians and their ratio. */
async function compare(label: string, wasm: string, expect: string, grant: boolean) {
  const waspArgs = [...WASP, `${root}main.ts`, "run", wasm];
  if (grant) waspArgs.push("--allow-dir", `${ws}::/ws`);
  const commands: Record<string, string[]> = {
    "wasp run": waspArgs,
    "node:wasi (bare)": [...BASE, wasm, ...(grant ? [ws] : [])],
  };
  const samples: Record<string, number[]> = {};
  for (const [name, args] of Object.entries(commands)) {
    samples[name] = [];
    await once(args, expect); // warm Deno's caches; every measured run is a new process
  }
  for (let i = 0; i < RUNS; i++) {
    for (const [name, args] of Object.entries(commands)) {
      samples[name].push(await once(args, expect));
    }
  }
  console.log(`${label}:`);
  for (const [name, xs] of Object.entries(samples)) {
    console.log(
      `  ${name.padEnd(18)} median ${median(xs).toFixed(1)} ms  min ${
        Math.min(...xs).toFixed(1)
      } ms`,
    );
  }
  const ratio = median(samples["wasp run"]) / median(samples["node:wasi (bare)"]);
  console.log(`  ratio wasp / node:wasi: ${ratio.toFixed(2)}x`);
}

console.log(
  `runs: ${RUNS} each, alternating, ${Deno.build.target}, deno ${Deno.version.deno}${
    envFlag >= 0 ? `, ${Deno.args[envFlag + 1]}` : ""
  }`,
);
await compare("hello (cold start)", await cGuest("hello"), "hello from wasp", false);
await compare("syscall-heavy guest", await cGuest("syscalls"), "syscalls done", true);
await Deno.remove(ws, { recursive: true });
