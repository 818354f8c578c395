/**
 * The warm pool against cold runs, measured in one run on this machine: per-run latency
 * (p50, p95) through a pool for hello, a small SQLite job (create, insert 100 rows, select,
 * in a granted directory) and `python -c "print(1)"`, against a cold `wasp run` / `wasp python`
 * of each (a new process every time); the pool's throughput with 4 concurrent clients; and
 * the pool process's resident memory idle (Workers walled and waiting) and at its peak.
 *
 * Pool latency is measured from the call to the envelope, with a pre-walled Worker waiting
 * (the pool refills between calls, as it does between an agent's calls). "Back to back" is
 * the same with no pause: each call then also pays for the Worker made for the next one.
 *
 *   deno task bench:pool [--runs N]
 * @module
 */
import { createPool } from "../src/pool/pool.ts";
import type { Envelope } from "../src/envelope.ts";
import { cGuest, npmPackage } from "../tests/helpers/guests.ts";
import { runsArg } from "./stats.ts";

const RUNS = runsArg(40);
const COLD_RUNS = Math.max(3, Math.round(RUNS / 8));
const root = new URL("../", import.meta.url).pathname;
const ws = await Deno.realPath(await Deno.makeTempDir({ prefix: "wasp-bench-pool-" }));

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

function rssMiB(): number {
  return Deno.memoryUsage().rss / 1024 / 1024;
}

/** Peak resident set of this process so far (VmHWM), in MiB. */
function peakMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
  return m ? Number(m[1]) / 1024 : NaN;
}

function check(e: Envelope, expect: string, what: string): void {
  if (e.status !== "success" || !e.stdout.includes(expect)) {
    throw new Error(`${what} failed: ${JSON.stringify(e).slice(0, 400)}`);
  }
}

const pkg = await npmPackage("better-sqlite3@12.4.1");
const sqlite = await cGuest("sqlite_demo", {
  sources: [`${pkg}/deps/sqlite3/sqlite3.c`],
  includes: [`${pkg}/deps/sqlite3`],
});
const sql = (client: number) => [
  `/ws/pool-${client}.db`,
  "drop table if exists t",
  "create table t(id integer primary key, body text)",
  "with recursive n(i) as (select 1 union all select i + 1 from n where i < 100) " +
  "insert into t(body) select printf('row %d', i) from n",
  "select 'sqlite done', count(*) from t",
];

interface Case {
  name: string;
  expect: string;
  /** One pooled run (`client`: which concurrent client asks). */
  pool: (p: ReturnType<typeof createPool>, client: number) => Promise<Envelope>;
  cold: string[];
  runs: number;
}

const hello = await cGuest("hello");
const cases: Case[] = [
  {
    name: "hello",
    expect: "hello from wasp",
    pool: (p) => p.run({ module: hello }),
    cold: ["run", hello],
    runs: RUNS,
  },
  {
    name: "SQLite job",
    expect: "sqlite done",
    pool: (p, client) =>
      p.run({
        module: sqlite,
        args: sql(client),
        dirs: [{ host: ws, guest: "/ws", access: "read-write" }],
      }),
    cold: ["run", sqlite, "--allow-dir", `${ws}::/ws`, "--", ...sql(0)],
    runs: RUNS,
  },
  {
    name: 'python -c "print(1)"',
    expect: "1",
    pool: (p) => p.runPython({ code: "print(1)" }),
    cold: ["python", "-c", "print(1)"],
    runs: Math.max(5, Math.round(RUNS / 4)),
  },
];

async function cold(args: string[], expect: string): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-run",
      "--allow-env",
      `${root}main.ts`,
      ...args,
    ],
    stdout: "piped",
    stderr: "null",
  }).output();
  const ms = performance.now() - t0;
  check(JSON.parse(new TextDecoder().decode(out.stdout)), expect, `cold ${args[0]}`);
  return ms;
}

console.log(
  `${Deno.build.target}, deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cpus, ` +
    `load ${Deno.loadavg()[0].toFixed(1)}; pool size 2 per permission set; ${RUNS} pooled runs ` +
    `per case (python: a quarter), ${COLD_RUNS} cold`,
);
const rssBefore = rssMiB();
const pool = createPool({ size: 2, concurrency: 4 });
await pool.warmed();
const rssIdle = rssMiB();
console.log(
  `RSS: ${rssBefore.toFixed(0)} MiB before the pool, ${rssIdle.toFixed(0)} MiB idle with ` +
    `${pool.stats().warm} Workers walled and waiting`,
);
console.log(
  "case                   pool p50   p95  back-to-back p50   cold p50   p95   cold/pool",
);
for (const c of cases) {
  for (let i = 0; i < 3; i++) check(await c.pool(pool, 0), c.expect, c.name); // compile, warm key
  const warm: number[] = [];
  for (let i = 0; i < c.runs; i++) {
    await pool.warmed();
    const t0 = performance.now();
    const e = await c.pool(pool, 0);
    warm.push(performance.now() - t0);
    check(e, c.expect, c.name);
  }
  const busy: number[] = [];
  for (let i = 0; i < Math.min(c.runs, 20); i++) {
    const t0 = performance.now();
    check(await c.pool(pool, 0), c.expect, c.name);
    busy.push(performance.now() - t0);
  }
  await cold(c.cold, c.expect); // fill Deno's caches
  const colds: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) colds.push(await cold(c.cold, c.expect));
  const p50 = percentile(warm, 50);
  console.log(
    `${c.name.padEnd(22)} ${p50.toFixed(1).padStart(6)} ms ${
      percentile(warm, 95).toFixed(1).padStart(5)
    }  ${percentile(busy, 50).toFixed(1).padStart(10)} ms ${
      percentile(colds, 50).toFixed(0).padStart(9)
    } ms ${percentile(colds, 95).toFixed(0).padStart(5)}  ${
      (percentile(colds, 50) / p50).toFixed(1).padStart(7)
    }x`,
  );
}

// throughput: 4 clients, each calling as soon as its last call returned
for (const c of cases.slice(0, 2)) {
  await pool.warmed();
  const perClient = Math.max(5, Math.round(RUNS / 2));
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async (_, client) => {
      for (let i = 0; i < perClient; i++) check(await c.pool(pool, client), c.expect, c.name);
    }),
  );
  const s = (performance.now() - t0) / 1000;
  console.log(
    `throughput, 4 concurrent clients, ${c.name}: ${(4 * perClient / s).toFixed(0)} runs/s ` +
      `(${4 * perClient} runs in ${s.toFixed(1)} s)`,
  );
}
await pool.warmed();
console.log(
  `RSS: ${rssMiB().toFixed(0)} MiB idle after the runs (${pool.stats().modules} modules ` +
    `compiled, ${pool.stats().keys} permission sets warm); peak ${peakMiB().toFixed(0)} MiB`,
);
pool.close();
await Deno.remove(ws, { recursive: true });
