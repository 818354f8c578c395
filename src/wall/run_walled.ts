/**
 * The parent side of a run: spawn the walled child, feed it, enforce the time limit,
 * collect output and the result, and turn it all into one envelope.
 * @module
 */
import type { Envelope } from "../envelope.ts";
import type { Policy } from "../policy.ts";
import { handleBrokerFrame } from "./broker_frame.ts";
import {
  childCommand,
  defaultEntry,
  engineReads,
  killQuietly,
  spawnChild,
  type WallKind,
} from "./child_command.ts";
import { ChildFrame, encodeFrame, encodeJsonFrame, FrameDecoder, ParentFrame } from "./frames.ts";
import { OutputBuffer } from "./output_buffer.ts";
import type { ResultMessage, StartMessage } from "./protocol.ts";
import { startReaperLater } from "./reaper_launch.ts";
import { decide, type StopReason, toEnvelope } from "./result.ts";

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
  const cmd = childCommand(policy, {
    entry,
    extraReads: await engineReads(policy),
    wall: options.wall,
  });
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
    },
  };
  const feeding = writer.write(encodeJsonFrame(ParentFrame.START, start))
    .then(() => writer.write(encodeFrame(ParentFrame.STDIN, stdinBytes)))
    .catch(() => {});

  let stopped: StopReason = null;
  const kill = (why: "timeout" | "cancelled") => {
    if (stopped) return;
    stopped = why;
    killQuietly(child);
  };
  const { timeoutMs, maxOutputBytes } = policy.limits;
  const timer = timeoutMs > 0 ? setTimeout(() => kill("timeout"), timeoutMs) : undefined;
  const onAbort = () => kill("cancelled");
  options.signal?.addEventListener("abort", onAbort);
  if (options.signal?.aborted) onAbort();

  const out = new OutputBuffer(maxOutputBytes);
  const err = new OutputBuffer(maxOutputBytes);
  const diagnostics = drainLimited(child.stderr, 16 * 1024);
  let result: ResultMessage | null = null;
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
          case ChildFrame.RESULT:
            result = JSON.parse(new TextDecoder().decode(frame.payload));
            break;
          case ChildFrame.BROKER_REQUEST: {
            const reply = handleBrokerFrame(policy, frame.payload);
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
  return toEnvelope(outcome, out, err, policy, options.startedAt ?? 0);
}
