/**
 * Entry module of a pool Worker: a single-use walled thread. On its first message it walls
 * its own thread (a private working directory, then Landlock with the run's grants, then FFI
 * revoked) and reports; on its second it runs the one guest it was made for and reports the
 * outcome. Its Deno permissions were narrowed to the grants when the pool created it. File
 * work stays on synchronous ops, which run on this thread (async ops would run on a shared
 * thread that neither the private working directory nor Landlock covers).
 * @module
 */
import type { EngineIo, Outcome } from "../engine/mod.ts";
import { StopGuest } from "../engine/mod.ts";
import { runPrepared } from "../engine/wasp.ts";
import { ChildFrame } from "../wall/frames.ts";
import { cappedOutput } from "../wall/child_output.ts";
import { applyKernelWall, type KernelWall, revokeFfi } from "../wall/landlock.ts";
import { unshareWorkingDirectory } from "./private_fs.ts";
import { holding } from "../wall/tree_lock.ts";
import { RunReport } from "../report/run_report.ts";
import { finalStateReader } from "../report/final_state.ts";
import type { ReportData } from "../report/types.ts";
import { warmUp } from "./warm_up.ts";
import { OutputWriter } from "./output_area.ts";
import {
  BROKER_BYTES,
  BROKER_HEADER,
  type RunOrder,
  type WallOrder,
  type WallReport,
  type WorkerNote,
} from "./protocol.ts";
import { MAX_BROKER_PATH } from "../wall/protocol.ts";
import type { BrokerRequest } from "../wall/protocol.ts";

const scope = globalThis as unknown as {
  postMessage(m: WorkerNote): void;
  onmessage: ((e: MessageEvent) => void) | null;
  close(): void;
};

let lock: Deno.FsFile | null = null;

function wall(order: WallOrder): WallReport {
  warmUp();
  try {
    if (order.treeLock !== null) lock = Deno.openSync(order.treeLock, { read: true });
  } catch {
    revokeFfi();
    return {
      t: "ready",
      kernel: { applied: false, reason: "not reached" },
      privateFs: false,
      lockIno: null,
      ruleIds: [],
      errorKind: "policy_error",
      error:
        `the tree lock ${order.treeLock} that concurrent runs share cannot be opened; make it readable, or remove it so that wasp creates it again`,
    };
  }
  const privateFs = order.libc !== null && unshareWorkingDirectory(order.libc);
  let kernel: KernelWall;
  let ruleIds: string[] = [];
  if (order.libc !== null && order.landlock) {
    ({ kernel, ruleIds } = applyKernelWall(order.libc, order.rules));
  } else {
    revokeFfi();
    kernel = { applied: false, reason: order.why ?? "not requested" };
  }
  return { t: "ready", kernel, privateFs, lockIno: lock?.statSync().ino ?? null, ruleIds };
}

/** Asks the pool, and waits on shared memory for its answer (the guest is synchronous). */
function broker(channel: SharedArrayBuffer, request: BrokerRequest): string | null {
  const encoder = new TextEncoder();
  const names = request.op === "symlink" ? [request.name, request.target] : [request.name];
  if (names.some((n) => encoder.encode(n).length > MAX_BROKER_PATH)) return "ENAMETOOLONG";
  const head = new Int32Array(channel, 0, 2);
  const body = new Uint8Array(channel, BROKER_HEADER, BROKER_BYTES);
  const { written } = encoder.encodeInto(JSON.stringify(request), body);
  if (written === undefined || written >= BROKER_BYTES) return "ENAMETOOLONG";
  Atomics.store(head, 1, written);
  Atomics.store(head, 0, 1);
  scope.postMessage({ t: "broker" });
  while (Atomics.load(head, 0) === 1) Atomics.wait(head, 0, 1);
  const length = Atomics.load(head, 1);
  const reply = JSON.parse(new TextDecoder().decode(body.slice(0, length))) as {
    error: string | null;
  };
  Atomics.store(head, 0, 0);
  return reply.error;
}

function io(order: RunOrder): EngineIo {
  const out = new OutputWriter(order.output);
  const send = (type: number, payload: Uint8Array) => {
    if (type === ChildFrame.TRUNCATED) {
      out.truncated(payload[0] as 1 | 2);
      return;
    }
    const fd = type === ChildFrame.STDOUT ? 1 : 2;
    out.write(fd, payload);
    if (order.live) scope.postMessage({ t: "chunk", fd, bytes: payload.slice() });
  };
  return {
    output: cappedOutput(order.request.limits.maxOutputBytes, send),
    symlink: (target, dir, name) => broker(order.broker, { op: "symlink", dir, name, target }),
    lutimes: (dir, name, atime, mtime) =>
      broker(order.broker, { op: "lutimes", dir, name, atime, mtime }),
    exclusive: (fn) => holding(lock, true, fn),
    shared: (fn) => holding(lock, false, fn),
    // only the wasmer engine asks, and the pool runs wasp's own engine alone
    beginSync: () => false,
  };
}

/** Runs the guest, then gathers its report (denials, and the trace and changes when asked). */
async function run(order: RunOrder): Promise<{ outcome: Outcome; report?: ReportData }> {
  try {
    const runIo = io(order);
    const report = new RunReport(order.request.dirs, order.request.report);
    runIo.report = report;
    const request = { ...order.request, module: new Uint8Array(0) };
    const outcome = runPrepared(order.prepared, request, runIo);
    return { outcome, report: await report.data(finalStateReader(order.request.dirs, runIo)) };
  } catch (err) {
    if (err instanceof StopGuest) return { outcome: err.outcome };
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return {
      outcome: {
        kind: "failure",
        errorKind: "internal",
        message: `internal error in the pool Worker: ${text.split("\n")[0]}`,
        exitCode: null,
      },
    };
  }
}

if ("WorkerGlobalScope" in globalThis) {
  scope.onmessage = async (e: MessageEvent) => {
    const order = e.data as WallOrder | RunOrder;
    if (order.t === "wall") {
      scope.postMessage(wall(order));
    } else {
      scope.onmessage = null; // single use: nothing after the one run is read
      scope.postMessage({ t: "result", ...await run(order) });
      scope.close();
    }
  };
}
