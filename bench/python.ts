/**
 * Cold `wasp python -c "print(1)"` (a new process each time, walls and envelope included;
 * it runs its cached copy without debug sections) against a bare `deno run` of node:wasi on the
 * package's python.wasm and on that copy, measured alternately in one run; then peak RSS of
 * each, and where a cold start goes (read, hash, compile, instantiate, interpreter start), for the module as shipped, without its debug sections, and with V8's
 * Liftoff baseline compiler only.
 *
 *   deno task bench:python [--runs N]
 * @module
 */
import { createHash } from "node:crypto";
import { packageModulePath, pythonModulePath } from "../src/runtimes/python_runtime.ts";
import { median, runsArg } from "./stats.ts";
import { stripDebugSections } from "../src/runtimes/wasm_strip.ts";

const RUNS = runsArg(10);
const root = new URL("../", import.meta.url).pathname;
const original = await packageModulePath();
const cached = await pythonModulePath();
const CODE = ["-c", "print(1)"];

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const full = Deno.readFileSync(original);
const stripped = stripDebugSections(full);
if (sha256(stripDebugSections(full)) !== sha256(stripped)) throw new Error("strip is not stable");
if (sha256(Deno.readFileSync(cached)) !== sha256(stripped)) throw new Error("wasp's copy differs");
const strippedPath = `${await Deno.makeTempDir({ prefix: "wasp-bench-" })}/python.wasm`;
Deno.writeFileSync(strippedPath, stripped);

const commands: Record<string, string[]> = {
  "wasp python": [
    "run",
    "--allow-read",
    "--allow-write",
    "--allow-run",
    "--allow-env",
    `${root}main.ts`,
    "python",
    ...CODE,
  ],
  "node:wasi (bare)": [
    "run",
    "--allow-read",
    `${root}bench/node_wasi_baseline.ts`,
    original,
    "--",
    ...CODE,
  ],
  "node:wasi, no debug": [
    "run",
    "--allow-read",
    `${root}bench/node_wasi_baseline.ts`,
    strippedPath,
    "--",
    ...CODE,
  ],
};

async function once(args: string[], timeRss = false): Promise<{ ms: number; rssKb: number }> {
  const t0 = performance.now();
  const [exec, all] = timeRss
    ? ["/usr/bin/time", ["-f", "RSS %M", Deno.execPath(), ...args]]
    : [Deno.execPath(), args];
  const out = await new Deno.Command(exec, { args: all, stdout: "piped", stderr: "piped" })
    .output();
  const ms = performance.now() - t0;
  const stdout = new TextDecoder().decode(out.stdout);
  if (!stdout.startsWith("1\n") && !stdout.includes('"stdout":"1\\n"')) {
    throw new Error(`${args.join(" ")} did not print 1: ${stdout.slice(0, 300)}`);
  }
  const rss = /RSS (\d+)/.exec(new TextDecoder().decode(out.stderr));
  return { ms, rssKb: rss ? Number(rss[1]) : NaN };
}

console.log(
  `runs: ${RUNS} each, alternating, ${Deno.build.target}, deno ${Deno.version.deno}, ` +
    `${navigator.hardwareConcurrency} cpus, load ${Deno.loadavg()[0].toFixed(1)}`,
);
console.log(
  `python.wasm ${full.length} bytes sha256 ${sha256(full).slice(0, 16)}…; without debug ` +
    `sections ${stripped.length} bytes sha256 ${sha256(stripped).slice(0, 16)}… (stable)`,
);
const samples: Record<string, number[]> = {};
for (const [name, args] of Object.entries(commands)) {
  samples[name] = [];
  await once(args); // fill Deno's caches; every measured run is a new process
}
for (let i = 0; i < RUNS; i++) {
  for (const [name, args] of Object.entries(commands)) samples[name].push((await once(args)).ms);
}
console.log('cold python -c "print(1)":');
for (const [name, xs] of Object.entries(samples)) {
  console.log(
    `  ${name.padEnd(20)} median ${median(xs).toFixed(0)} ms  min ${Math.min(...xs).toFixed(0)} ms`,
  );
}
for (const base of ["node:wasi (bare)", "node:wasi, no debug"]) {
  const ratio = median(samples["wasp python"]) / median(samples[base]);
  console.log(`  ratio wasp python / ${base}: ${ratio.toFixed(2)}x`);
}

try {
  const rss: string[] = [];
  for (const [name, args] of Object.entries(commands)) {
    const kb = (await once(args, true)).rssKb;
    rss.push(`${name} ${(kb / 1024).toFixed(0)} MiB`);
  }
  console.log(`peak RSS (largest single process, /usr/bin/time): ${rss.join(", ")}`);
} catch (err) {
  console.log(`peak RSS: not measured (${err instanceof Error ? err.message : err})`);
}

const variants: Record<string, string[]> = {
  "as shipped": ["run", "--allow-read", `${root}bench/python_phases.ts`, original],
  "no debug sections": ["run", "--allow-read", `${root}bench/python_phases.ts`, strippedPath],
  "liftoff only": [
    "run",
    "--allow-read",
    "--v8-flags=--liftoff-only",
    `${root}bench/python_phases.ts`,
    original,
  ],
};
const phases: Record<string, Record<string, number>[]> = {};
for (let i = 0; i < Math.max(3, RUNS >> 1); i++) {
  for (const [name, args] of Object.entries(variants)) {
    const out = await new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "null" })
      .output();
    const last = new TextDecoder().decode(out.stdout).trim().split("\n").pop()!;
    (phases[name] ??= []).push(JSON.parse(last));
  }
}
console.log("where a cold start goes (medians, ms, inside one fresh process):");
for (const [name, list] of Object.entries(phases)) {
  const keys = ["read", "sha256", "compile", "instantiate", "start"];
  const cells = keys.map((k) => `${k} ${median(list.map((p) => p[k])).toFixed(0)}`);
  console.log(`  ${name.padEnd(18)} ${cells.join("  ")}`);
}
await Deno.remove(strippedPath.slice(0, strippedPath.lastIndexOf("/")), { recursive: true });
