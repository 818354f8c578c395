/**
 * The parent side of a run: spawn the walled child, feed it, enforce the time limit,
 * collect output and the result, and turn it all into one envelope.
 * @module
 */
import type { Envelope } from "../envelope.ts";
import type { Policy } from "../policy.ts";
import { Broker } from "./broker_client.ts";
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
import type { BrokerRequest, ResultMessage, StartMessage, WallsMessage } from "./protocol.ts";
import { treeLockPath } from "./tree_lock.ts";
import { startReaperLater } from "./reaper_launch.ts";
import { decide, type StopReason, SYNC_GRACE_MS, toEnvelope } from "./result.ts";

/** Options for one walled run. */
export interface WalledOptions {
  /** Alternative child entry module (tests use it to probe wall 2 directly). */
  entry?: URL;
  /** Aborting kills the child; the envelope reports a timeout-like stop. */
  signal?: AbortSignal;
  /** Which wall confines the child (default: `defaultWall()`). */
  wall?: WallKind;
  /**
   * When the invocation began, as a `performance.now()` reading; `execution_time_ms` counts
   * from it. Default: when the call began. The CLI passes 0 (the process start).
   */
  startedAt?: number;
}

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
 * What the kernel wall must still let the child read besides the grants and the module: an
 * engine runtime's files, and for a runtime inside an npm package, that package (its
 * workers load their code from it after the wall is up).
 */
function kernelReads(extraReads: string[]): string[] {
  return extraReads.map((p) => p.replace(/\/pkg\/[^/]+$/, ""));
}

async function readStdin(policy: Policy): Promise<Uint8Array> {
  const s = policy.stdin;
  if (s.kind === "bytes") return s.data;
  if (s.kind === "file") return await Deno.readFile(s.path);
  if (s.kind === "inherit") {
    return new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer());
  }
  return new Uint8Array(0);
}

async function drainLimited(stream: ReadableStream<Uint8Array>, cap: number): Promise<string> {
  const buf = new OutputBuffer(cap);
  for await (const chunk of stream) buf.push(chunk);
  return buf.text();
}

/** Runs `policy` in a walled child and returns its envelope. Never throws for guest faults. */
export async function runWalled(policy: Policy, options: WalledOptions = {}): Promise<Envelope> {
  const entry = options.entry ?? defaultEntry();
  if (entry.protocol === "http:" || entry.protocol === "https:") await cacheRemoteChild(entry);
  const wall = options.wall ?? defaultWall();
  const kernel = kernelPlan();
  const extraReads = await engineReads(policy);
  const cmd = childCommand(policy, { entry, extraReads, wall, libc: kernel.libc });
  const stdinBytes = await readStdin(policy);
  const child = spawnChild(cmd);
  const reaper = startReaperLater(child.pid);
  const writer = child.stdin.getWriter();
  const start: StartMessage = {
    engine: policy.engine,
    request: {
      modulePath: policy.modulePath,
      moduleName: policy.moduleName,
      args: policy.args,
      env: policy.env,
      dirs: policy.dirs,
      limits: policy.limits,
      symlinks: policy.symlinks,
      treeLock: treeLockPath(),
    },
    kernel: { ...kernel, reads: kernelReads(extraReads) },
  };
  const feeding = writer.write(encodeJsonFrame(ParentFrame.START, start))
    .then(() => writer.write(encodeFrame(ParentFrame.STDIN, stdinBytes)))
    .catch(() => {});

  let stopped: StopReason = null;
  // Once the guest has ended and the engine has begun changing the host (the wasmer
  // engine's sync-back), the timeout and cancellation wait for it: a half-applied sync is
  // worse than a late envelope. SYNC_GRACE_MS bounds that wait.
  let syncing = false;
  const kill = (why: "timeout" | "cancelled" | "sync") => {
    if (stopped || (syncing && why !== "sync")) return;
    stopped = why;
    killQuietly(child);
  };
  const { timeoutMs, maxOutputBytes } = policy.limits;
  let timer = timeoutMs > 0 ? setTimeout(() => kill("timeout"), timeoutMs) : undefined;
  const onAbort = () => kill("cancelled");
  options.signal?.addEventListener("abort", onAbort);
  if (options.signal?.aborted) onAbort();

  const out = new OutputBuffer(maxOutputBytes);
  const err = new OutputBuffer(maxOutputBytes);
  const diagnostics = drainLimited(child.stderr, 16 * 1024);
  const broker = new Broker(policy, kernel.libc);
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
            out.push(frame.payload);
            break;
          case ChildFrame.STDERR:
            err.push(frame.payload);
            break;
          case ChildFrame.TRUNCATED:
            (frame.payload[0] === 1 ? out : err).truncated = true;
            break;
          case ChildFrame.WALLS:
            walls = JSON.parse(new TextDecoder().decode(frame.payload));
            break;
          case ChildFrame.RESULT:
            result = JSON.parse(new TextDecoder().decode(frame.payload));
            break;
          case ChildFrame.SYNC_BEGIN: {
            const go = stopped === null;
            if (go) {
              syncing = true;
              clearTimeout(timer);
              timer = setTimeout(() => kill("sync"), SYNC_GRACE_MS);
            }
            await feeding;
            await writer.write(encodeFrame(ParentFrame.SYNC_ANSWER, new Uint8Array([go ? 1 : 0])))
              .catch(() => {});
            break;
          }
          case ChildFrame.BROKER_REQUEST: {
            const req = JSON.parse(new TextDecoder().decode(frame.payload)) as BrokerRequest;
            const reply = await broker.handle(req);
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
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    await reaper.stop();
    await broker.close();
  }
  if (result !== null) {
    // The child has nothing left to do but tear down; do not wait for that.
    killQuietly(child);
  }
  await reader.cancel().catch(() => {});
  await feeding;
  await writer.close().catch(() => {});
  const status = await child.status;
  const childStderr = await diagnostics;
  const outcome = decide(result, stopped, status, childStderr, policy);
  return toEnvelope(outcome, out, err, policy, options.startedAt ?? 0, {
    wasi: policy.engine === "wasp",
    deno: wall,
    landlock: walls === null
      ? { abi: null, reason: "the child ended before it reported its walls" }
      : walls.kernel.applied
      ? { abi: walls.kernel.abi }
      : { abi: null, reason: walls.kernel.reason },
  });
}
