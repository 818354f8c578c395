/**
 * The walled child's work, shared by its entry modules (child_main.ts for the wasp engine,
 * child_wasmer.ts for the wasmer engine). It runs with exactly the policy's permissions, reads
 * its orders from stdin, runs the engine, and speaks to the parent only in frames on stdout.
 * Nothing here is reachable from guest code except through the engine.
 * @module
 */
import type { Engine, EngineIo, Outcome } from "../engine/mod.ts";
import { StopGuest } from "../engine/mod.ts";
import { ChildFrame, encodeFrame, encodeJsonFrame, ParentFrame, readFrameSync } from "./frames.ts";
import { cpuBudgetSeconds } from "./backstop.ts";
import { OutputCoalescer } from "./output_coalescer.ts";
import { epochMs, type PhaseMark } from "../phases.ts";
import { applyKernelWall, type KernelRule, revokeFfi } from "./landlock.ts";
import { cappedOutput } from "./child_output.ts";
import { holding } from "./tree_lock.ts";
import { RunReport } from "../report/run_report.ts";
import { finalStateReader } from "../report/final_state.ts";
import type { ReportData } from "../report/types.ts";
import {
  type BrokerRequest,
  type BrokerResponse,
  MAX_BROKER_PATH,
  type ResultMessage,
  type StartMessage,
  type WallsMessage,
} from "./protocol.ts";

/** Phase timestamps (src/phases.ts), sent in the result when the parent asks for them. */
const marks: PhaseMark[] = [
  ["child: process start", performance.timeOrigin],
  ["child: module graph loaded", epochMs()],
];

/** Every frame to the parent goes through here: output is held briefly, the rest is not. */
const frames = new OutputCoalescer();

function send(type: number, payload: Uint8Array): void {
  try {
    if (type === ChildFrame.STDOUT || type === ChildFrame.STDERR || type === ChildFrame.TRUNCATED) {
      frames.output(type, payload);
    } else {
      frames.frame(encodeFrame(type, payload));
    }
  } catch {
    // nobody reads our frames any more: the parent is gone, so the guest must stop
    throw new StopGuest({
      kind: "failure",
      errorKind: "internal",
      message: "the wasp parent process went away during the run",
      exitCode: null,
    });
  }
}

function broker(request: BrokerRequest): string | null {
  const encoder = new TextEncoder();
  const names = request.op === "symlink" ? [request.name, request.target] : [request.name];
  if (names.some((n) => encoder.encode(n).length > MAX_BROKER_PATH)) return "ENAMETOOLONG";
  send(ChildFrame.BROKER_REQUEST, encoder.encode(JSON.stringify(request)));
  const reply = readFrameSync(Deno.stdin);
  if (reply === null || reply.type !== ParentFrame.BROKER_RESPONSE) return "EIO";
  const msg = JSON.parse(new TextDecoder().decode(reply.payload)) as BrokerResponse;
  return msg.error;
}

function makeIo(maxOutput: number, lock: Deno.FsFile | null): EngineIo {
  return {
    output: cappedOutput(maxOutput, send),
    symlink(target, dir, name) {
      return broker({ op: "symlink", dir, name, target });
    },
    lutimes(dir, name, atime, mtime) {
      return broker({ op: "lutimes", dir, name, atime, mtime });
    },
    exclusive: (fn) => holding(lock, true, fn),
    shared: (fn) => holding(lock, false, fn),
    beginSync() {
      send(ChildFrame.SYNC_BEGIN, new Uint8Array(0));
      const reply = readFrameSync(Deno.stdin);
      return reply?.type === ParentFrame.SYNC_ANSWER && reply.payload[0] === 1;
    },
  };
}

/** Opens the tree lock shared by all runs (before the kernel wall, which does not list it). */
function openTreeLock(path: string | null): Deno.FsFile | null {
  if (path === null) return null;
  try {
    return Deno.openSync(path, { read: true });
  } catch {
    throw new StopGuest({
      kind: "failure",
      errorKind: "policy_error",
      message:
        `the tree lock ${path} that concurrent runs share cannot be opened; make it readable, or remove it so that wasp creates it again`,
      exitCode: null,
    });
  }
}

/** Puts up the kernel wall for this run's grants and arms the backstop, or says why not. */
function kernelWall(msg: StartMessage): WallsMessage {
  const { libc, why, reads } = msg.kernel;
  if (libc === null) {
    revokeFfi();
    return {
      kernel: { applied: false, reason: why ?? "not requested" },
      backstop: { parentDeathSignal: false, cpuSeconds: null },
    };
  }
  const rules: KernelRule[] = [
    ...msg.request.dirs.map((d) => ({ path: d.host, access: d.access })),
    { path: msg.request.modulePath, access: "read-only" },
    ...reads.map((path) => ({ path, access: "read-only" as const })),
  ];
  return applyKernelWall(libc, rules, {
    parentPid: msg.parentPid,
    cpuSeconds: cpuBudgetSeconds(msg.request.limits.timeoutMs),
  });
}

/** Finds the engine a run names (each entry module knows its own). */
export type EngineLoader = (name: string) => Promise<Engine>;

/** Runs one walled child: reads its orders, runs the guest, sends the result, ends. */
export async function runChild(loadEngine: EngineLoader): Promise<void> {
  let outcome: Outcome;
  let phases = false;
  let report: ReportData | undefined;
  try {
    const start = readFrameSync(Deno.stdin);
    const module = readFrameSync(Deno.stdin);
    const stdin = readFrameSync(Deno.stdin);
    if (
      start?.type !== ParentFrame.START || module?.type !== ParentFrame.MODULE ||
      stdin?.type !== ParentFrame.STDIN
    ) {
      throw new Error("the parent sent no start message");
    }
    const msg = JSON.parse(new TextDecoder().decode(start.payload)) as StartMessage;
    phases = msg.phases === true;
    if (typeof msg.deadline === "number") frames.stopHoldingBefore(msg.deadline);
    marks.push(["child: start message read", epochMs()]);
    const engine = await loadEngine(msg.engine);
    marks.push(["child: engine loaded", epochMs()]);
    try {
      const io = makeIo(msg.request.limits.maxOutputBytes, openTreeLock(msg.request.treeLock));
      const runReport = new RunReport(msg.request.dirs, msg.request.report);
      io.report = runReport;
      const walls: WallsMessage = kernelWall(msg);
      marks.push(["child: kernel wall up", epochMs()]);
      send(ChildFrame.WALLS, new TextEncoder().encode(JSON.stringify(walls)));
      outcome = await engine.run(
        { ...msg.request, module: module.payload, stdin: stdin.payload },
        io,
      );
      marks.push(["child: guest done", epochMs()]);
      report = await runReport.data(finalStateReader(msg.request.dirs, io));
      marks.push(["child: report ready", epochMs()]);
    } catch (err) {
      if (!(err instanceof StopGuest)) throw err;
      outcome = err.outcome;
    }
  } catch (err) {
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    outcome = {
      kind: "failure",
      errorKind: "internal",
      message: `internal error in the walled child: ${text.split("\n")[0]}`,
      exitCode: null,
    };
  }
  try {
    // held output first, then the result: nothing the guest wrote is lost
    const result: ResultMessage = phases ? { outcome, phases: marks, report } : { outcome, report };
    frames.close(encodeJsonFrame(ChildFrame.RESULT, result));
  } catch {
    // the parent is gone; there is nobody to tell
  }
  finish();
}

/** Ends the walled child: the process, or (under the worker wall) tells the host it is done. */
function finish(): void {
  if ("WorkerGlobalScope" in globalThis) {
    (globalThis as unknown as { postMessage(m: unknown): void }).postMessage("done");
  } else {
    Deno.exit(0);
  }
}
