/**
 * The walled child's kernel backstop (src/wall/backstop.ts), armed in a real process: the
 * kernel, not wasp, stops the child when its parent dies or when it spins past its CPU budget.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { until } from "./helpers/processes.ts";
import { cpuBudgetSeconds } from "../src/wall/backstop.ts";
import { decide } from "../src/wall/result.ts";
import type { Policy } from "../src/policy.ts";
import { DEFAULT_LIMITS } from "../src/limits.ts";

const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;

/** True while `pid` runs (a zombie counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Reads the probe's "armed PID {...}" line from `stream`. */
async function armedLine(stream: ReadableStream<Uint8Array>): Promise<[number, unknown]> {
  let text = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    text += chunk;
    const m = /^armed (\d+) (.*)\n/.exec(text);
    if (m) return [Number(m[1]), JSON.parse(m[2])];
  }
  throw new Error(`the probe ended without arming: ${text}`);
}

function probe(parent: string, cpu: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-ffi",
      `${FIXTURES}backstop_probe.ts`,
      parent,
      cpu,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
}

Deno.test("backstop: the kernel kills a spinning child when its parent dies by SIGKILL", async () => {
  const parent = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-all", `${FIXTURES}backstop_parent.ts`],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const [pid, armed] = await armedLine(parent.stdout);
  try {
    assertEquals(armed, { parentDeathSignal: true, cpuSeconds: null });
    assert(alive(pid));
    parent.kill("SIGKILL");
    await parent.status;
    await until(() => Promise.resolve(!alive(pid)), "the orphaned probe to be killed");
  } finally {
    if (alive(pid)) Deno.kill(pid, "SIGKILL");
  }
});

Deno.test("backstop: a child whose parent died before it armed kills itself", async () => {
  // pid 1 is never this probe's parent here: as if its real parent had died and it was adopted
  const child = probe("1", "none");
  const status = await child.status;
  assertEquals(status.signal, "SIGKILL");
  await child.stdout.cancel();
});

Deno.test("backstop: the kernel stops a child that spins past its CPU budget", async () => {
  const child = probe("ppid", "1");
  const [pid, armed] = await armedLine(child.stdout);
  try {
    assertEquals(armed, { parentDeathSignal: true, cpuSeconds: 1 });
    const status = await child.status;
    assertEquals(status.signal, "SIGXCPU");
  } finally {
    if (alive(pid)) Deno.kill(pid, "SIGKILL");
  }
});

Deno.test("backstop: the CPU budget leaves the parent's timer room, and SIGXCPU reads as a timeout", () => {
  assertEquals(cpuBudgetSeconds(0), null);
  assertEquals(cpuBudgetSeconds(3000), 11);
  assertEquals(cpuBudgetSeconds(30_000), 65);
  const policy = { limits: { ...DEFAULT_LIMITS, timeoutMs: 3000 } } as Policy;
  const outcome = decide(null, null, { success: false, code: 152, signal: "SIGXCPU" }, "", policy);
  assertEquals(outcome.kind, "failure");
  if (outcome.kind === "failure") {
    assertEquals(outcome.errorKind, "timeout");
    assert(/CPU time/.test(outcome.message));
  }
});
