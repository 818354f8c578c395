/**
 * The parent side of a run: spawn the walled child, feed it, enforce the time limit,
 * collect output and the result, and turn it all into one envelope.
 * @module
 */
import type { Outcome } from "../engine/mod.ts";
import { elapsedMs, type Envelope, oneLine } from "../envelope.ts";
import { type Policy, summarize } from "../policy.ts";
import { handleBrokerRequest } from "./broker.ts";
import {
  childCommand,
  defaultEntry,
  engineReads,
  reaperCommand,
  spawnChild,
  type WallKind,
} from "./child_command.ts";
import { ChildFrame, encodeFrame, encodeJsonFrame, FrameDecoder, ParentFrame } from "./frames.ts";
import { OutputBuffer } from "./output_buffer.ts";
import type { BrokerRequest, ResultMessage, StartMessage } from "./protocol.ts";

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

/** How long a run goes before the parent starts a reaper for it. */
const REAPER_AFTER_MS = 250;

/**
 * Starts a reaper for the child once the run has lasted REAPER_AFTER_MS (short runs never pay for
 * it); `stop()` kills the reaper without letting it act.
 */
function startReaperLater(pid: number): { stop(): Promise<void> } {
  let reaper: Deno.ChildProcess | null = null;
  const timer = setTimeout(() => {
    const cmd = reaperCommand(pid);
    try {
      reaper = new Deno.Command(cmd.exec, {
        args: cmd.args,
        env: cmd.env,
        clearEnv: true,
        stdin: "piped",
        stdout: "null",
        stderr: "null",
      }).spawn();
    } catch {
      reaper = null; // the run goes on without orphan protection
    }
  }, REAPER_AFTER_MS);
  return {
    async stop() {
      clearTimeout(timer);
      const r = reaper as Deno.ChildProcess | null;
      if (r === null) return;
      try {
        r.kill("SIGKILL");
      } catch {
        // already gone
      }
      await r.status;
    },
  };
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

  let stopped: "timeout" | "cancelled" | null = null;
  const kill = (why: "timeout" | "cancelled") => {
    if (stopped) return;
    stopped = why;
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
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
            const req = JSON.parse(new TextDecoder().decode(frame.payload)) as BrokerRequest;
            const reply = handleBrokerRequest(policy, req);
            await feeding;
            await writer.write(encodeJsonFrame(ParentFrame.BROKER_RESPONSE, reply)).catch(() => {});
            break;
          }
        }
      }
    }
  } catch (error) {
    // a malformed or oversized frame: the child is not trustworthy any more
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.status;
    throw error;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    await reaper.stop();
  }
  if (result !== null) {
    // The child has nothing left to do but tear down; do not wait for that.
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  await reader.cancel().catch(() => {});
  await feeding;
  await writer.close().catch(() => {});
  const status = await child.status;
  const childStderr = await diagnostics;
  const outcome = decide(result, stopped, status, childStderr, policy);
  return toEnvelope(outcome, out, err, policy, options.startedAt ?? 0);
}

function decide(
  result: ResultMessage | null,
  stopped: "timeout" | "cancelled" | null,
  status: Deno.CommandStatus,
  childStderr: string,
  policy: Policy,
): Outcome {
  if (result) return result.outcome;
  if (stopped === "timeout") {
    return {
      kind: "failure",
      errorKind: "timeout",
      message:
        `the guest ran longer than the ${policy.limits.timeoutMs} ms timeout and was stopped; raise --timeout or make it finish sooner`,
      exitCode: null,
    };
  }
  if (stopped === "cancelled") {
    return {
      kind: "failure",
      errorKind: "timeout",
      message: "the run was cancelled by its caller and the guest was stopped",
      exitCode: null,
    };
  }
  const detail = childStderr.split("\n").find((l) => l.trim() !== "") ??
    `exit status ${status.code}`;
  return {
    kind: "failure",
    errorKind: "internal",
    message: `internal error: the walled child ended without a result (${
      oneLine(detail).slice(0, 300)
    })`,
    exitCode: null,
  };
}

/** Builds the envelope for a finished run. */
export function toEnvelope(
  outcome: Outcome,
  out: OutputBuffer,
  err: OutputBuffer,
  policy: Policy,
  startedAt = 0,
): Envelope {
  let exitCode: number | null = null;
  let error: string | null = null;
  let kind: Envelope["error_kind"] = null;
  if (outcome.kind === "exit") {
    exitCode = Math.min(outcome.code, 255);
    if (outcome.code !== 0) {
      kind = "guest_exit";
      error = `the guest exited with code ${outcome.code}; see its stderr for why`;
    }
  } else if (outcome.kind === "trap") {
    kind = "trap";
    error = `the guest trapped: ${outcome.message}; this is a bug or a failed check in the guest`;
  } else {
    kind = outcome.errorKind;
    error = outcome.message;
    exitCode = outcome.exitCode;
  }
  return {
    status: kind === null ? "success" : "error",
    exit_code: exitCode,
    execution_time_ms: elapsedMs(startedAt),
    stdout: out.text(),
    stderr: err.text(),
    error: error === null ? null : oneLine(error),
    error_kind: kind,
    stdout_truncated: out.truncated,
    stderr_truncated: err.truncated,
    policy: summarize(policy),
  };
}
