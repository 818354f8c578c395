/**
 * The parent side of a run: spawn the walled child, feed it, enforce the time limit,
 * collect output and the result, and turn it all into one envelope.
 * @module
 */
import { after } from "../timer.ts";
import { type Envelope, envelopeFromError, type OutputEncoding, WaspError } from "../envelope.ts";
import {
  type CheckedPolicy,
  type Policy,
  type PolicyBase,
  summarize,
  withModule,
  withModuleAsync,
} from "../policy.ts";
import { Broker } from "./broker_client.ts";
import { handleBrokerFrame } from "./broker_frame.ts";
import {
  childCommand,
  defaultEntry,
  defaultWall,
  engineReads,
  kernelPlan,
  killQuietly,
  spawnChild,
  type WallKind,
} from "./child_command.ts";
import { ChildFrame, encodeFrame, encodeJsonFrame, FrameDecoder, ParentFrame } from "./frames.ts";
import { OutputBuffer } from "./output_buffer.ts";
import type { ResultMessage, StartMessage, WallsMessage } from "./protocol.ts";
import { treeLockPath } from "./tree_lock.ts";
import { type Reaper, startReaper } from "./reaper_launch.ts";
import { decide, type StopReason, SYNC_GRACE_MS, toEnvelope } from "./result.ts";
import { readStdin } from "./stdin_reader.ts";
import { addPhases, epochMs, markPhase, phasesWanted } from "../phases.ts";

/** Options for one walled run. */
export interface WalledOptions {
  /** Alternative child entry module (tests use it to probe wall 2 directly). */
  entry?: URL;
  /** Aborting kills the child; the envelope reports `error_kind: "cancelled"`. */
  signal?: AbortSignal;
  /** Which wall confines the child (default: `defaultWall()`). */
  wall?: WallKind;
  /**
   * When the invocation began, as a `performance.now()` reading; `execution_time_ms` counts
   * from it. Default: when the call began. The CLI passes 0 (the process start).
   */
  startedAt?: number;
  /**
   * Called with the guest's output as it arrives: only bytes the envelope keeps (never past
   * the output cap), in order, and `format` says how the envelope will render them. What it
   * throws is ignored. (`runStream()` is built on it.)
   */
  onOutput?: OutputListener;
}

/** How the envelope renders a run's output: its encoding and the cap per stream. */
export interface OutputFormat {
  encoding: OutputEncoding;
  maxBytes: number;
}

/** Receives a run's output as it arrives (see `WalledOptions.onOutput`). */
export type OutputListener = (
  stream: "stdout" | "stderr",
  bytes: Uint8Array,
  format: OutputFormat,
) => void;

/**
 * A remote wasp's child runs with --cached-only, so the parent loads the child's module graph
 * first (child_main.ts only runs its main when it is the main module or the walled Worker).
 */
async function cacheRemoteChild(entry: URL): Promise<void> {
  await import(entry.href);
  await import(new URL("./worker_host.ts", import.meta.url).href);
  await import(new URL("./reaper.ts", import.meta.url).href);
  await import(new URL("./broker_process.ts", import.meta.url).href);
}

/**
 * What the kernel wall must still let the child read besides the grants: an engine runtime's
 * files, and for a runtime inside an npm package, that package (its workers load their code
 * from it after the wall is up).
 */
function kernelReads(extraReads: string[]): string[] {
  return extraReads.map((p) => p.replace(/\/pkg\/[^/]+$/, ""));
}

async function drainLimited(stream: ReadableStream<Uint8Array>, cap: number): Promise<string> {
  const buf = new OutputBuffer(cap);
  for await (const chunk of stream) buf.push(chunk);
  return buf.text();
}

/**
 * The summary of `policy`, its module read at once if need be (non-blocking: a FIFO swapped
 * in is refused, not waited for), or null when the module cannot be read.
 */
function summaryIfReadable(policy: Policy | CheckedPolicy): ReturnType<typeof summarize> | null {
  try {
    return summarize(withModule(policy));
  } catch {
    return null;
  }
}

/** What the engine is told of `policy` (all but the module's and stdin's bytes). */
export function engineRequestOf(
  policy: PolicyBase,
  treeLock: string | null,
): StartMessage["request"] {
  return {
    modulePath: policy.modulePath,
    moduleName: policy.moduleName,
    args: policy.args,
    env: policy.env,
    dirs: policy.dirs,
    limits: policy.limits,
    symlinks: policy.symlinks,
    treeLock,
    readOnlyPaths: policy.readOnlyPaths,
    report: policy.report,
  };
}

/**
 * Runs `policy` in a walled child and returns its envelope. Never throws for guest faults.
 * A policy whose module is not read yet (`checkPolicy`) has it read right after the child is
 * spawned, while the child starts; a module that turns out invalid then is refused with the
 * envelope `buildPolicy` would have given (no policy).
 */
export async function runWalled(
  policy: Policy | CheckedPolicy,
  options: WalledOptions = {},
): Promise<Envelope> {
  const entry = options.entry ?? defaultEntry(policy.engine);
  if (entry.protocol === "http:" || entry.protocol === "https:") await cacheRemoteChild(entry);
  const wall = options.wall ?? defaultWall();
  const kernel = kernelPlan();
  const extraReads = await engineReads(policy);
  const cmd = childCommand(policy, { entry, extraReads, wall, libc: kernel.libc });
  let stopped: StopReason = null;
  let child: Deno.ChildProcess | null = null;
  const stopReading = new AbortController();
  // Once the guest has ended and the engine has begun changing the host (the wasmer
  // engine's sync-back), the timeout and cancellation wait for it: a half-applied sync is
  // worse than a late envelope. SYNC_GRACE_MS bounds that wait.
  let syncing = false;
  const kill = (why: "timeout" | "cancelled" | "sync") => {
    if (stopped || (syncing && why !== "sync")) return;
    stopped = why;
    stopReading.abort();
    if (child) killQuietly(child);
  };
  const { timeoutMs, maxOutputBytes } = policy.limits;
  let cancelTimer = () => {};
  const onAbort = () => kill("cancelled");
  options.signal?.addEventListener("abort", onAbort);
  if (options.signal?.aborted) onAbort();
  markPhase("parent: policy and command ready");
  try {
    child = spawnChild(cmd);
    markPhase("parent: child spawned");
  } catch (err) {
    cancelTimer();
    options.signal?.removeEventListener("abort", onAbort);
    throw err;
  }
  if (stopped) killQuietly(child);
  let full: Policy;
  try {
    // a run cancelled already reads its module at once (non-blocking) to report on it; one
    // cancelled while its module opens stops waiting for that open
    full = options.signal?.aborted
      ? withModule(policy)
      : await withModuleAsync(policy, options.signal);
    markPhase("parent: module read");
  } catch (err) {
    killQuietly(child);
    cancelTimer();
    options.signal?.removeEventListener("abort", onAbort);
    await child.status;
    if (stopped !== "cancelled") return envelopeFromError(err, null, options.startedAt ?? 0);
    // reported with its policy, as a run cancelled before or after this read is
    return envelopeFromError(
      new WaspError("cancelled", "the run was cancelled while wasp read its module"),
      summaryIfReadable(policy),
      options.startedAt ?? 0,
    );
  }
  // The clock runs from here: feeding stdin and the guest count against it; reading the
  // module does not (it did not when buildPolicy read it, before the child was spawned).
  if (timeoutMs > 0) cancelTimer = after(timeoutMs, () => kill("timeout"));
  const deadline = timeoutMs > 0 ? epochMs() + timeoutMs : null;
  return await superviseChild(child, full, options, {
    wall,
    deadline,
    kernel: { ...kernel, reads: kernelReads(extraReads) },
    stopped: () => stopped,
    beginSync: () => {
      if (stopped !== null) return false;
      syncing = true;
      cancelTimer();
      cancelTimer = after(SYNC_GRACE_MS, () => kill("sync"));
      return true;
    },
    stopReading: stopReading.signal,
    cleanUp: () => {
      cancelTimer();
      options.signal?.removeEventListener("abort", onAbort);
    },
    maxOutputBytes,
  });
}

/** What runWalled hands the supervision of one spawned child. */
interface Supervision {
  /** When the parent kills the child for the timeout (ms since the epoch), or null. */
  deadline: number | null;
  /** The wall confining the child. */
  wall: WallKind;
  /** The kernel wall the child is to put up. */
  kernel: StartMessage["kernel"];
  /** Why the parent stopped the run (timeout, cancellation), if it did. */
  stopped: () => StopReason;
  /** The engine asks to change the host: true to go ahead (the timer then waits for it). */
  beginSync: () => boolean;
  /** Aborts when the run is stopped: reading stdin ends at once. */
  stopReading: AbortSignal;
  /** Clears the timer and the caller's abort listener. */
  cleanUp: () => void;
  maxOutputBytes: number;
}

/**
 * Feeds the child (start message, module bytes, bounded stdin), collects its frames until the
 * result or its end, and turns what happened into the envelope.
 */
async function superviseChild(
  child: Deno.ChildProcess,
  policy: Policy,
  options: WalledOptions,
  sup: Supervision,
): Promise<Envelope> {
  // Whatever kills an orphaned child starts with it: the kernel's parent-death signal, which
  // the child arms during its set-up where it can reach libc, or else a reaper process.
  let reaper: Reaper | null = sup.kernel.libc === null ? startReaper(child.pid) : null;
  const writer = child.stdin.getWriter();
  const start: StartMessage = {
    engine: policy.engine,
    parentPid: Deno.pid,
    request: engineRequestOf(policy, treeLockPath()),
    kernel: sup.kernel,
    deadline: sup.deadline,
    phases: phasesWanted(),
  };
  let refused: WaspError | null = null;
  const feeding = (async () => {
    try {
      await writer.write(encodeJsonFrame(ParentFrame.START, start));
      await writer.write(encodeFrame(ParentFrame.MODULE, policy.moduleBytes));
      const stdin = await readStdin(policy.stdin, policy.limits.maxStdinBytes, sup.stopReading);
      await writer.write(encodeFrame(ParentFrame.STDIN, stdin));
    } catch (err) {
      // stdin over its cap is a refusal; a stop (timeout, signal) or a child that is already
      // gone is reported by how the run ended
      if (err instanceof WaspError) {
        refused ??= err;
        killQuietly(child);
      }
    }
  })();
  const { maxOutputBytes } = sup;

  const out = new OutputBuffer(maxOutputBytes);
  const err = new OutputBuffer(maxOutputBytes);
  const format = { encoding: policy.outputEncoding, maxBytes: maxOutputBytes };
  const listen = options.onOutput;
  const emit = (stream: "stdout" | "stderr", kept: Uint8Array) => {
    if (listen === undefined || kept.length === 0) return;
    try {
      listen(stream, kept, format);
    } catch {
      // the listener's trouble is not the run's
    }
  };
  const diagnostics = drainLimited(child.stderr, 16 * 1024);
  const broker = new Broker(policy, sup.kernel.libc);
  let result: ResultMessage | null = null;
  let walls: WallsMessage | null = null;
  const decoder = new FrameDecoder();
  const reader = child.stdout.getReader();
  try {
    while (result === null) {
      const { value: chunk, done } = await reader.read();
      if (done) break;
      for (const frame of decoder.push(chunk)) {
        switch (frame.type) {
          case ChildFrame.STDOUT:
            emit("stdout", out.push(frame.payload));
            break;
          case ChildFrame.STDERR:
            emit("stderr", err.push(frame.payload));
            break;
          case ChildFrame.TRUNCATED:
            (frame.payload[0] === 1 ? out : err).truncated = true;
            break;
          case ChildFrame.SYNC_BEGIN: {
            const go = sup.beginSync();
            await feeding;
            await writer.write(encodeFrame(ParentFrame.SYNC_ANSWER, new Uint8Array([go ? 1 : 0])))
              .catch(() => {});
            break;
          }
          case ChildFrame.WALLS:
            walls = JSON.parse(new TextDecoder().decode(frame.payload)) as WallsMessage;
            if (!walls.backstop.parentDeathSignal) reaper ??= startReaper(child.pid);
            break;
          case ChildFrame.RESULT:
            result = JSON.parse(new TextDecoder().decode(frame.payload));
            markPhase("parent: result received");
            addPhases(result?.phases);
            break;
          case ChildFrame.BROKER_REQUEST: {
            const reply = await handleBrokerFrame(broker, frame.payload);
            await feeding;
            await writer.write(encodeJsonFrame(ParentFrame.BROKER_RESPONSE, reply)).catch(() => {});
            break;
          }
        }
      }
    }
  } catch (error) {
    // a malformed or oversized frame: the child is not trustworthy any more
    killQuietly(child);
    await child.status;
    throw error;
  } finally {
    sup.cleanUp();
    await reaper?.stop();
    await broker.close();
  }
  if (result !== null) {
    // The child has nothing left to do but tear down; do not wait for that. Its result says
    // how the run ended, so neither its exit status nor its stderr matters: both are left
    // to settle on their own (the kill makes sure they do).
    killQuietly(child);
    diagnostics.catch(() => {});
    child.status.catch(() => {});
  }
  await reader.cancel().catch(() => {});
  await feeding;
  await writer.close().catch(() => {});
  const status = result === null ? await child.status : { success: true, code: 0, signal: null };
  const childStderr = result === null ? await diagnostics : "";
  markPhase("parent: child released");
  if (refused !== null && result === null && sup.stopped() === null) {
    return envelopeFromError(refused, summarize(policy), options.startedAt ?? 0);
  }
  const outcome = decide(result, sup.stopped(), status, childStderr, policy);
  return toEnvelope(outcome, out, err, policy, options.startedAt ?? 0, {
    wasi: policy.engine === "wasp",
    deno: sup.wall,
    landlock: walls === null
      ? { abi: null, reason: "the child ended before it reported its walls" }
      : walls.kernel.applied
      ? { abi: walls.kernel.abi }
      : { abi: null, reason: walls.kernel.reason },
  }, result?.report);
}
