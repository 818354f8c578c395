/**
 * Cold-run benchmark: `wasp run` (a new process each time, walled child included) against a
 * bare `deno run` of node:wasi on the same module, measured alternately in one run on one
 * machine: a hello guest, a syscall-heavy guest (20k writes to stdout, 1k
 * create/write/close/unlink cycles in a granted directory), a CPU-bound guest and a SQLite
 * job (200k rows into a database in the grant). Prints medians and ratios of wall time and of
 * the whole process tree's CPU time (perf's task-clock, which moves far less with the
 * machine's load), the per-phase breakdown of the hello run (WASP_PHASES=1, see
 * src/phases.ts), and the peak resident size of parent + child for hello.
 *
 *   deno task bench [--runs N] [--env KEY=VALUE] [--only hello,syscalls,cpu,sqlite]
 * @module
 */
import { cGuest, npmPackage } from "../tests/helpers/guests.ts";
import { peakRssOfTree, phaseDurations, printPhases } from "./phases.ts";
import { taskClockOfTree } from "./cpu_time.ts";
import { median, runsArg } from "./stats.ts";

const RUNS = runsArg(30);
const envFlag = Deno.args.indexOf("--env");
const ENV: Record<string, string> = envFlag >= 0
  ? Object.fromEntries([Deno.args[envFlag + 1].split("=", 2)])
  : {};
const onlyFlag = Deno.args.indexOf("--only");
const ONLY = onlyFlag >= 0 ? Deno.args[onlyFlag + 1].split(",") : null;
const root = new URL("../", import.meta.url).pathname;
const ws = await Deno.makeTempDir({ prefix: "wasp-bench-" });

const WASP = ["run", "--allow-read", "--allow-write", "--allow-run", "--allow-env"];
const BASE = ["run", "--allow-read", "--allow-write", `${root}bench/node_wasi_baseline.ts`];

interface Sample {
  ms: number;
  stderr: string;
}

async function once(args: string[], expect: string, env: Record<string, string>): Promise<Sample> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    env: { ...ENV, ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  if (!new TextDecoder().decode(out.stdout).includes(expect)) {
    throw new Error(`${args.join(" ")} did not run the guest`);
  }
  return { ms, stderr: new TextDecoder().decode(out.stderr) };
}

/** One guest to compare: its module, argv, the text its output must hold, and its grant. */
interface Case {
  label: string;
  key: string;
  wasm: string;
  argv: string[];
  expect: string;
  grant: boolean;
  runs: number;
}

/** Measures one guest both ways, alternating; prints the medians and their ratio. */
async function compare(c: Case): Promise<void> {
  const waspArgs = [...WASP, `${root}main.ts`, "run", c.wasm, "--timeout", "600000"];
  if (c.grant) waspArgs.push("--allow-dir", `${ws}::/ws`);
  if (c.argv.length > 0) waspArgs.push("--", ...c.argv);
  const commands: Record<string, string[]> = {
    "wasp run": waspArgs,
    "node:wasi (bare)": [...BASE, c.wasm, ...(c.grant ? [ws] : []), "--", ...c.argv],
  };
  const samples: Record<string, number[]> = {};
  const phases: Map<string, number>[] = [];
  for (const [name, args] of Object.entries(commands)) {
    samples[name] = [];
    await once(args, c.expect, {}); // warm Deno's caches; every measured run is a new process
  }
  for (let i = 0; i < c.runs; i++) {
    for (const [name, args] of Object.entries(commands)) {
      const s = await once(args, c.expect, { WASP_PHASES: "1" });
      samples[name].push(s.ms);
      const p = name === "wasp run" ? phaseDurations(s.stderr) : null;
      if (p) phases.push(p);
    }
  }
  console.log(`${c.label}:`);
  for (const [name, xs] of Object.entries(samples)) {
    console.log(
      `  ${name.padEnd(18)} median ${median(xs).toFixed(1)} ms  min ${
        Math.min(...xs).toFixed(1)
      } ms`,
    );
  }
  const ratio = median(samples["wasp run"]) / median(samples["node:wasi (bare)"]);
  console.log(`  ratio wasp / node:wasi: ${ratio.toFixed(2)}x`);
  await compareCpu(commands, Math.max(5, Math.round(c.runs / 2)));
  if (c.key === "hello") {
    printPhases(phases);
    if (Deno.build.os === "linux") {
      const rss: Record<string, number[]> = {};
      for (let i = 0; i < 5; i++) {
        for (const [name, args] of Object.entries(commands)) {
          const used = await peakRssOfTree(args, ENV);
          (rss[name] ??= []).push(used.rss);
        }
      }
      for (const [name, xs] of Object.entries(rss)) {
        const mib = median(xs) / 1024 / 1024;
        console.log(`  peak RSS, all processes: ${name.padEnd(18)} ${mib.toFixed(1)} MiB`);
      }
    }
  }
}

/**
 * CPU time of the whole process tree (perf's task-clock), alternating, and its ratio: the
 * figure that moves least with the machine's load.
 */
async function compareCpu(commands: Record<string, string[]>, runs: number): Promise<void> {
  const cpu: Record<string, number[]> = {};
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(commands)) {
      const ms = await taskClockOfTree(args, ENV);
      if (ms === null) {
        console.log("  CPU time: perf cannot count here (install linux-perf to see it)");
        return;
      }
      (cpu[name] ??= []).push(ms);
    }
  }
  const [wasp, base] = [median(cpu["wasp run"]), median(cpu["node:wasi (bare)"])];
  console.log(
    `  CPU time, whole tree (perf task-clock, median of ${runs}): wasp run ${
      wasp.toFixed(0)
    } ms, ` +
      `node:wasi ${base.toFixed(0)} ms, ratio ${(wasp / base).toFixed(2)}x`,
  );
}

async function sqliteGuest(): Promise<string> {
  const pkg = await npmPackage("better-sqlite3@12.4.1");
  return await cGuest("sqlite_demo", {
    sources: [`${pkg}/deps/sqlite3/sqlite3.c`],
    includes: [`${pkg}/deps/sqlite3`],
  });
}

console.log(
  `runs: ${RUNS} each (cpu and sqlite: a third), alternating, ${Deno.build.target}, deno ${Deno.version.deno}${
    envFlag >= 0 ? `, ${Deno.args[envFlag + 1]}` : ""
  }`,
);
const few = Math.max(3, Math.round(RUNS / 3));
const cases: (() => Promise<Case>)[] = [
  async () => ({
    label: "hello (cold start)",
    key: "hello",
    wasm: await cGuest("hello"),
    argv: [],
    expect: "hello from wasp",
    grant: false,
    runs: RUNS,
  }),
  async () => ({
    label: "syscall-heavy guest",
    key: "syscalls",
    wasm: await cGuest("syscalls"),
    argv: [],
    expect: "syscalls done",
    grant: true,
    runs: RUNS,
  }),
  async () => ({
    label: "CPU-bound guest",
    key: "cpu",
    wasm: await cGuest("cpu"),
    argv: ["300000000"],
    expect: "cpu done",
    grant: false,
    runs: few,
  }),
  async () => ({
    label: "SQLite job (200k rows into a database in the grant)",
    key: "sqlite",
    wasm: await sqliteGuest(),
    argv: [
      "/ws/bench.db",
      "drop table if exists t",
      "create table t(id integer primary key, body text)",
      "begin",
      "with recursive n(i) as (select 1 union all select i + 1 from n where i < 200000) " +
      "insert into t(body) select printf('row %d', i) from n",
      "commit",
      "select 'sqlite done', count(*) from t",
    ],
    expect: "sqlite done",
    grant: true,
    runs: few,
  }),
];
for (const make of cases) {
  const c = await make();
  if (ONLY === null || ONLY.includes(c.key)) await compare(c);
}
await Deno.remove(ws, { recursive: true });
