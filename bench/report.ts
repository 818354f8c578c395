/**
 * What the report costs: `wasp run` of the syscall-heavy guest (20,000 writes to stdout, then
 * 1,000 create / write / close / unlink cycles in a read-write grant) by default (denials
 * only), with --changes and with --trace. Alternating runs, a new process each; reports the
 * median wall time of the invocation, and from the phase marks (WASP_PHASES=1) the median time
 * the guest ran in the walled child and the time the report took after it (final states
 * read back, hashing).
 *
 *   deno run --allow-all bench/report.ts [--runs N] [--baseline DIR]
 *
 * `--baseline DIR` adds the default run of another checkout of wasp (say, the commit before
 * the report existed: `git archive cb72439 | tar -x -C DIR`), to show what always-on denials
 * cost the default path.
 * @module
 */
import { cGuest } from "../tests/helpers/guests.ts";
import { median, runsArg } from "./stats.ts";

const RUNS = runsArg(15);
const root = new URL("../", import.meta.url).pathname;
const guest = await cGuest("syscalls");
const ws = await Deno.makeTempDir({ prefix: "wasp-bench-report-" });

interface Sample {
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
    wall,
    guest: mark("child: guest done") - mark("child: kernel wall up"),
    report: mark("child: report ready") - mark("child: guest done"),
  };
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
  for (const [name, run] of Object.entries(cases)) samples[name].push(await run());
}
console.log(`runs: ${RUNS} each, alternating, ${Deno.build.target}, deno ${Deno.version.deno}`);
const base = median(samples["default (denials)"].map((s) => s.guest));
for (const [name, xs] of Object.entries(samples)) {
  const g = median(xs.map((s) => s.guest));
  console.log(
    `${name.padEnd(18)} wall ${median(xs.map((s) => s.wall)).toFixed(1)} ms, guest ${
      g.toFixed(1)
    } ms (${g >= base ? "+" : ""}${(g - base).toFixed(1)}), report ${
      median(xs.map((s) => s.report)).toFixed(1)
    } ms`,
  );
}
await Deno.remove(ws, { recursive: true });
