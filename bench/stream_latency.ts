/**
 * Latency of `--stream`: from the guest's write to the event reaching its consumer. The guest
 * (tests/guests/stream_probe.c, `stamps N MS`) writes its realtime clock (ns) as a line, then
 * sleeps; the consumer compares each line's stamp with its own realtime clock (both are the
 * machine's clock: `performance.timeOrigin + performance.now()`) when the event arrives.
 * Measured for the library (`runStream()`, in-process) and for the CLI (`wasp run --stream`,
 * read from the pipe by this process), under both walls, for spaced writes (the usual case:
 * a write after a quiet spell goes out at once) and for a burst (writes held up to 2 ms by the
 * child's output coalescer).
 *
 *   deno run --allow-all bench/stream_latency.ts [--runs N]
 * @module
 */
import { cGuest } from "../tests/helpers/guests.ts";
import { PARENT_FLAGS, ROOT } from "../tests/helpers/wasp.ts";
import { runStream } from "../mod.ts";
import type { StreamEvent } from "../src/report/stream_events.ts";
import type { WallKind } from "../src/wall/child_command.ts";
import { runsArg } from "./stats.ts";

const now = () => performance.timeOrigin + performance.now();

/** Latencies (ms) of every stamped line in one event. */
function latencies(event: StreamEvent, at: number, carry: { rest: string }): number[] {
  if (event.type !== "stdout") return [];
  const text = carry.rest + event.data;
  const lines = text.split("\n");
  carry.rest = lines.pop()!;
  return lines.filter((l) => l !== "").map((l) => at - Number(l) / 1e6);
}

async function viaLibrary(module: string, args: string[], wall: WallKind): Promise<number[]> {
  const out: number[] = [];
  const carry = { rest: "" };
  for await (const e of runStream({ module, args }, { wall })) {
    out.push(...latencies(e, now(), carry));
  }
  return out;
}

async function viaCli(module: string, args: string[], wall: WallKind): Promise<number[]> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PARENT_FLAGS, `${ROOT}main.ts`, "run", module, "--stream", "--", ...args],
    env: { WASP_WALL: wall },
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const out: number[] = [];
  const carry = { rest: "" };
  let buf = "";
  for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
    const at = now();
    buf += text;
    let nl;
    while ((nl = buf.indexOf("\n")) !== -1) {
      out.push(...latencies(JSON.parse(buf.slice(0, nl)), at, carry));
      buf = buf.slice(nl + 1);
    }
  }
  await child.status;
  return out;
}

function summary(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(2);
  return `n=${s.length} median ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms, max ${
    s.at(-1)!.toFixed(2)
  } ms`;
}

const module = await cGuest("stream_probe");
const runs = runsArg(3);
const cases: [string, string[]][] = [
  ["spaced (100 writes, 10 ms apart)", ["stamps", "100", "10"]],
  ["burst (2000 writes, no pause)", ["stamps", "2000", "0"]],
];
console.log(`stream latency, guest write -> event at the consumer (${runs} runs each)`);
for (const wall of ["process", "worker"] as WallKind[]) {
  for (const [name, args] of cases) {
    const lib: number[] = [];
    const cli: number[] = [];
    for (let i = 0; i < runs; i++) {
      lib.push(...await viaLibrary(module, args, wall));
      cli.push(...await viaCli(module, args, wall));
    }
    console.log(`  ${wall} wall, ${name}`);
    console.log(`    library runStream(): ${summary(lib)}`);
    console.log(`    CLI --stream:        ${summary(cli)}`);
  }
}
