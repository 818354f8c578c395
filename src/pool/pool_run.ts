/**
 * One pooled run: compile (or reuse) the module, read stdin, take a walled Worker, hand it
 * the run, answer its broker requests, enforce the time limit and cancellation by
 * terminating it, and turn what happened into the same envelope the CLI prints.
 * @module
 */
import type { Outcome } from "../engine/mod.ts";
import type { ReportData } from "../report/types.ts";
import { RunReport } from "../report/run_report.ts";
import { refusedPlan } from "../engine/wasm_memory.ts";
import { type Envelope, envelopeFromError, WaspError } from "../envelope.ts";
import { type Policy, summarize } from "../policy.ts";
import { Broker } from "../wall/broker_client.ts";
import type { BrokerResponse } from "../wall/protocol.ts";
import { engineRequestOf } from "../wall/run_walled.ts";
import { parseBrokerFrame } from "../wall/broker_frame.ts";
import { OutputBuffer } from "../wall/output_buffer.ts";
import { decide, type StopReason, toEnvelope } from "../wall/result.ts";
import { readStdin, StdinStopped } from "../wall/stdin_reader.ts";
import type { ModuleCache } from "./module_cache.ts";
import { treeLockPath } from "../wall/tree_lock.ts";
import { newOutputArea, readOutput } from "./output_area.ts";
import { BROKER_BYTES, BROKER_HEADER, type RunOrder, type WallReport } from "./protocol.ts";
import type { WarmWorker } from "./warm_worker.ts";
import { grantsFor, type PoolHost, type WorkerGrants } from "./worker_grants.ts";

/** What the pool hands one run. */
export interface PoolRunContext {
  startedAt: number;
  signal: AbortSignal;
  onOutput?: (fd: 1 | 2, bytes: Uint8Array) => void;
  host: PoolHost;
  modules: ModuleCache;
  /** A walled Worker for these grants (warm or fresh). */
  worker: (grants: WorkerGrants) => WarmWorker;
  /** Drops every waiting Worker (their tree lock is not the current one). */
  stale: () => void;
}

/** Never-settling promise that rejects with the stop reason once the run is stopped. */
function stopWatch(ctx: PoolRunContext, timeoutMs: number) {
  let stopped: StopReason = null;
  const controller = new AbortController();
  const stop = (why: "timeout" | "cancelled") => {
    if (stopped !== null) return;
    stopped = why;
    controller.abort(why);
  };
  const timer = timeoutMs > 0 ? setTimeout(() => stop("timeout"), timeoutMs) : undefined;
  const onAbort = () => stop("cancelled");
  ctx.signal.addEventListener("abort", onAbort);
  if (ctx.signal.aborted) onAbort();
  return {
    signal: controller.signal,
    stopped: () => stopped,
    done: () => {
      clearTimeout(timer);
      ctx.signal.removeEventListener("abort", onAbort);
    },
  };
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new StdinStopped("stopped"));
    signal.addEventListener("abort", () => reject(new StdinStopped("stopped")), { once: true });
  });
}

/** The inode of the tree lock as it is now (re-created if it went missing), or null. */
function lockIdentity(path: string | null): number | null {
  if (path === null) return null;
  try {
    return Deno.statSync(treeLockPath() ?? path).ino;
  } catch {
    return null;
  }
}

/**
 * Whether the Worker holds the tree lock there is now and put its Landlock rules on the very
 * directories of its key (by the identity of the fds the rules were made from).
 */
function walledAsKeyed(report: WallReport, grants: WorkerGrants, lock: string | null): boolean {
  if (report.lockIno !== lockIdentity(lock)) return false;
  if (!report.kernel.applied) return true;
  return report.ruleIds.join(",") === grants.ids.join(",");
}

/** Runs `policy` in a pool Worker and returns its envelope. */
export async function runInWorker(policy: Policy, ctx: PoolRunContext): Promise<Envelope> {
  const watch = stopWatch(ctx, policy.limits.timeoutMs);
  const stop = aborted(watch.signal);
  stop.catch(() => {});
  const out = new OutputBuffer(policy.limits.maxOutputBytes);
  const err = new OutputBuffer(policy.limits.maxOutputBytes);
  let report: WallReport | null = null;
  let worker: WarmWorker | null = null;
  const broker = new Broker(policy, ctx.host.landlock ? ctx.host.libc : null);
  const output = newOutputArea(policy.limits.maxOutputBytes);
  let outcome: Outcome | null = null;
  let guestReport: ReportData | undefined;
  let refused: WaspError | null = null;
  try {
    const prepared = await Promise.race([
      ctx.modules.get(
        policy.moduleSha256,
        policy.moduleBytes,
        policy.limits.maxMemoryBytes,
        policy.moduleName,
      ),
      stop,
    ]);
    if ("kind" in prepared) {
      // refused before any Worker: a declared memory above the cap is still a denial
      const refusedReport = new RunReport(policy.dirs, policy.report);
      outcome = refusedPlan(prepared, policy.limits.maxMemoryBytes, { report: refusedReport });
      guestReport = await refusedReport.data(() => Promise.resolve(null));
    } else {
      const stdin = await readStdin(policy.stdin, policy.limits.maxStdinBytes, watch.signal);
      const grants = grantsFor(policy.dirs, ctx.host);
      worker = ctx.worker(grants);
      report = await Promise.race([worker.ready, stop]);
      if (report.error === undefined && !walledAsKeyed(report, grants, ctx.host.treeLock)) {
        // the lock file was replaced since this Worker opened it (runs must share one lock),
        // or a granted directory was swapped while its Landlock rule was opened by path
        worker.end();
        ctx.stale();
        worker = ctx.worker(grants);
        report = await Promise.race([worker.ready, stop]);
        if (report.error === undefined && !walledAsKeyed(report, grants, ctx.host.treeLock)) {
          throw new WaspError(
            "policy_error",
            "a granted directory was replaced while its kernel wall was put up; run again once it stays put",
          );
        }
      }
      if (report.error !== undefined) {
        throw new WaspError(report.errorKind ?? "internal", report.error);
      }
      if (!report.privateFs) {
        // the file layer enters directories with chdir: a thread sharing the process's working
        // directory would move the server's and every other run's
        throw new WaspError(
          "policy_error",
          "this system does not give a thread its own working directory (unshare(CLONE_FS) failed or there is no C library), so the pool cannot run guests safely here; use the process wall",
        );
      }
      ({ outcome, report: guestReport } = await supervise(
        worker,
        policy,
        prepared,
        stdin,
        broker,
        ctx,
        stop,
        output,
      ));
    }
  } catch (error) {
    if (error instanceof WaspError && watch.stopped() === null) {
      refused = error;
    } else if (!(error instanceof StdinStopped) && watch.stopped() === null) {
      const text = error instanceof Error ? error.message : String(error);
      outcome = {
        kind: "failure",
        errorKind: "internal",
        message: `internal error: ${text}`,
        exitCode: null,
      };
    }
  } finally {
    watch.done();
    if (worker !== null) {
      // nothing the Worker still says is acted on (no broker process can start after close)
      worker.onNote = () => {};
      worker.onFail = () => {};
      worker.end();
    }
    await broker.close();
  }
  if (refused !== null) return envelopeFromError(refused, summarize(policy), ctx.startedAt);
  const stopped = watch.stopped();
  // a stopped run's outcome is the stop (timeout, cancellation), as under the process wall
  const final = decide(
    outcome === null || stopped !== null ? null : { outcome },
    stopped,
    { success: false, code: 1, signal: null },
    "",
    policy,
  );
  // what the guest wrote before the end is in shared memory, even if its Worker was terminated
  for (const fd of [1, 2] as const) {
    const { bytes, truncated } = readOutput(output, fd);
    const buf = fd === 1 ? out : err;
    buf.push(bytes);
    if (truncated) buf.truncated = true;
  }
  return toEnvelope(
    final,
    out,
    err,
    policy,
    ctx.startedAt,
    report === null ? null : {
      wasi: true,
      deno: "pool",
      landlock: report.kernel.applied
        ? { abi: report.kernel.abi }
        : { abi: null, reason: report.kernel.reason },
    },
    guestReport,
  );
}

async function supervise(
  worker: WarmWorker,
  policy: Policy,
  prepared: RunOrder["prepared"],
  stdin: Uint8Array,
  broker: Broker,
  ctx: PoolRunContext,
  stop: Promise<never>,
  output: SharedArrayBuffer,
): Promise<{ outcome: Outcome; report?: ReportData }> {
  const channel = new SharedArrayBuffer(BROKER_HEADER + BROKER_BYTES);
  const head = new Int32Array(channel, 0, 2);
  const body = new Uint8Array(channel, BROKER_HEADER, BROKER_BYTES);
  const done = new Promise<{ outcome: Outcome; report?: ReportData }>((resolve, reject) => {
    worker.onFail = (message) => reject(new Error(message));
    worker.onNote = (note) => {
      if (note.t === "result") resolve({ outcome: note.outcome, report: note.report });
      else if (note.t === "chunk") ctx.onOutput?.(note.fd, note.bytes);
      else if (note.t === "broker") {
        const payload = body.slice(0, Atomics.load(head, 1));
        const req = parseBrokerFrame(payload);
        const answer = "error" in req ? Promise.resolve(req) : broker.handle(req);
        // a request that fails is the guest's errno, never a rejection nobody handles (and
        // the Worker waits for an answer)
        answer.catch((): BrokerResponse => ({ error: "EIO" })).then((reply) => {
          const { written } = new TextEncoder().encodeInto(JSON.stringify(reply), body);
          Atomics.store(head, 1, written ?? 0);
          Atomics.store(head, 0, 2);
          Atomics.notify(head, 0);
        });
      }
    };
  });
  const order: RunOrder = {
    t: "run",
    request: { ...engineRequestOf(policy, ctx.host.treeLock), stdin },
    prepared,
    output,
    broker: channel,
    live: ctx.onOutput !== undefined,
  };
  worker.worker.postMessage(order);
  return await Promise.race([done, stop]);
}
