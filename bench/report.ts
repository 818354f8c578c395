/**
 * What the report costs: `wasp run` of the syscall-heavy guest (20,000 writes to stdout, then
 * 1,000 create / write / close / unlink cycles in a read-write grant) by default (denials
 * only), with --changes and with --trace. Alternating runs, a new process each; reports the
 * median wall time of the invocation, and from the phase marks (WASP_PHASES=1) the median time
 * the guest ran in the walled child and the time the report took after it (final states
 * read back, hashing).
 *
 * First in-process (the WASI host alone, no processes: the precise figure for what the
 * recorders add to host calls; each run also builds its report, hashes included), then whole
 * CLI invocations.
 *
 *   deno task bench:report [--runs N] [--baseline DIR] [--host-only]
 *
 * `--baseline DIR` adds the default run of another checkout of wasp (say, the commit before
 * the report existed: `git archive cb72439 | tar -x -C DIR`), to show what always-on denials
 * cost the default path.
 * @module
 */
import { cGuest } from "../tests/helpers/guests.ts";
import { NO_PARENT, testRequest } from "../tests/helpers/host.ts";
import type { Engine } from "../src/engine/mod.ts";
import { waspEngine } from "../src/engine/wasp.ts";
import { RunReport } from "../src/report/run_report.ts";
import type { ReportWanted } from "../src/report/types.ts";
import { median, runsArg } from "./stats.ts";

const RUNS = runsArg(15);
const root = new URL("../", import.meta.url).pathname;
const guest = await cGuest("syscalls");
const ws = await Deno.makeTempDir({ prefix: "wasp-bench-report-" });

interface Sample {
  /** Bytes of the envelope. */
  size: number;
  wall: number;
  guest: number;
  report: number;
}

const at = Deno.args.indexOf("--baseline");
const baseline = at >= 0 ? `${Deno.args[at + 1].replace(/\/$/, "")}/` : null;

async function once(extra: string[], wasp = root): Promise<Sample> {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${wasp}main.ts`, "run", guest, "--allow-dir", `${ws}::/ws`, ...extra],
    env: { WASP_PHASES: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const wall = performance.now() - t0;
  const envelope = JSON.parse(new TextDecoder().decode(out.stdout));
  if (envelope.status !== "success") throw new Error(JSON.stringify(envelope).slice(0, 500));
  const line = new TextDecoder().decode(out.stderr).split("\n")
    .find((l) => l.startsWith("WASP_PHASES "))!;
  const marks = new Map<string, number>(JSON.parse(line.slice("WASP_PHASES ".length)));
  const mark = (name: string) => marks.get(name) ?? NaN;
  return {
    size: out.stdout.length,
    wall,
    guest: mark("child: guest done") - mark("child: kernel wall up"),
    report: mark("child: report ready") - mark("child: guest done"),
  };
}

/** Runs the guest in this process with `engine`, recording `wanted`; returns ms. */
async function inProcess(engine: Engine, wanted: ReportWanted | null): Promise<number> {
  const dirs = [{ host: ws, guest: "/ws", access: "read-write" as const }];
  const module = await Deno.readFile(guest);
  const request = testRequest(dirs, {
    module,
    moduleName: "syscalls",
    report: wanted ?? undefined,
  });
  const report = wanted === null ? undefined : new RunReport(dirs, wanted);
  const t0 = performance.now();
  const outcome = await engine.run(request, { ...NO_PARENT, report });
  await report?.data(() => null);
  const ms = performance.now() - t0;
  if (outcome.kind !== "exit" || outcome.code !== 0) throw new Error(JSON.stringify(outcome));
  return ms;
}

const hosts: Record<string, () => Promise<number>> = {
  "default (denials)": () => inProcess(waspEngine, { trace: false, changes: false }),
  "--changes": () => inProcess(waspEngine, { trace: false, changes: true }),
  "--trace": () => inProcess(waspEngine, { trace: true, changes: false }),
};
if (baseline !== null) {
  const old = await import(`file://${baseline}src/engine/wasp.ts`);
  hosts["baseline default"] = () => inProcess(old.waspEngine, null);
}
const hostTimes: Record<string, number[]> = {};
for (const [name, run] of Object.entries(hosts)) {
  hostTimes[name] = [];
  await run();
}
/** The entries of `cases` in round `i`, the starting one rotating (no case always follows another). */
function rotated<T>(cases: Record<string, T>, i: number): [string, T][] {
  const all = Object.entries(cases);
  return [...all.slice(i % all.length), ...all.slice(0, i % all.length)];
}
for (let i = 0; i < RUNS * 3; i++) {
  for (const [name, run] of rotated(hosts, i)) hostTimes[name].push(await run());
}
console.log(`in-process WASI host, ${RUNS * 3} runs each, alternating:`);
const hostBase = median(hostTimes["default (denials)"]);
for (const [name, xs] of Object.entries(hostTimes)) {
  const m = median(xs);
  const d = ((m - hostBase) / hostBase) * 100;
  console.log(`  ${name.padEnd(18)} ${m.toFixed(1)} ms (${d >= 0 ? "+" : ""}${d.toFixed(1)}%)`);
}

if (Deno.args.includes("--host-only")) {
  await Deno.remove(ws, { recursive: true });
  Deno.exit(0);
}

const cases: Record<string, () => Promise<Sample>> = {
  "default (denials)": () => once([]),
  "--changes": () => once(["--changes"]),
  "--trace": () => once(["--trace"]),
};
if (baseline !== null) cases["baseline default"] = () => once([], baseline);
const samples: Record<string, Sample[]> = {};
for (const [name, run] of Object.entries(cases)) {
  samples[name] = [];
  await run(); // warm the module cache
}
for (let i = 0; i < RUNS; i++) {
  for (const [name, run] of rotated(cases, i)) samples[name].push(await run());
}
console.log(
  `wasp run, ${RUNS} runs each, alternating, ${Deno.build.target}, deno ${Deno.version.deno}:`,
);
const base = median(samples["default (denials)"].map((s) => s.guest));
for (const [name, xs] of Object.entries(samples)) {
  const g = median(xs.map((s) => s.guest));
  console.log(
    `  ${name.padEnd(18)} wall ${median(xs.map((s) => s.wall)).toFixed(1)} ms, guest ${
      g.toFixed(1)
    } ms (${g >= base ? "+" : ""}${(g - base).toFixed(1)}), report ${
      median(xs.map((s) => s.report)).toFixed(1)
    } ms, envelope ${xs[0].size} bytes`,
  );
}
await Deno.remove(ws, { recursive: true });
