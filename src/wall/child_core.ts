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
import type {
  BrokerRequest,
  BrokerResponse,
  ResultMessage,
  StartMessage,
  WallsMessage,
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
  send(ChildFrame.BROKER_REQUEST, new TextEncoder().encode(JSON.stringify(request)));
  const reply = readFrameSync(Deno.stdin);
  if (reply === null || reply.type !== ParentFrame.BROKER_RESPONSE) return "EIO";
  const msg = JSON.parse(new TextDecoder().decode(reply.payload)) as BrokerResponse;
  return msg.error;
}

function makeIo(maxOutput: number, lock: Deno.FsFile | null): EngineIo {
  const written = { 1: 0, 2: 0 };
  return {
    output(fd, bytes) {
      const before = written[fd];
      written[fd] = before + bytes.length;
      if (before < maxOutput) {
        const keep = Math.min(bytes.length, maxOutput - before);
        send(fd === 1 ? ChildFrame.STDOUT : ChildFrame.STDERR, bytes.subarray(0, keep));
      }
      if (before <= maxOutput && written[fd] > maxOutput) {
        send(ChildFrame.TRUNCATED, new Uint8Array([fd]));
      }
      if (written[fd] > 4 * maxOutput) {
        const stream = fd === 1 ? "stdout" : "stderr";
        throw new StopGuest({
          kind: "failure",
          errorKind: "output_limit",
          message:
            `the guest wrote more than 4x the ${stream} cap of ${maxOutput} bytes and was stopped; raise --max-output or write less`,
          exitCode: null,
        });
      }
    },
    symlink(target, dir, name) {
      return broker({ op: "symlink", dir, name, target });
    },
    lutimes(dir, name, atime, mtime) {
      return broker({ op: "lutimes", dir, name, atime, mtime });
    },
    exclusive: (fn) => holding(lock, true, fn),
    shared: (fn) => holding(lock, false, fn),
  };
}

function holding<T>(lock: Deno.FsFile | null, exclusive: boolean, fn: () => T): T {
  if (lock === null) return fn();
  lock.lockSync(exclusive);
  try {
    return fn();
  } finally {
    lock.unlockSync();
  }
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
      const walls: WallsMessage = kernelWall(msg);
      marks.push(["child: kernel wall up", epochMs()]);
      send(ChildFrame.WALLS, new TextEncoder().encode(JSON.stringify(walls)));
      outcome = await engine.run(
        { ...msg.request, module: module.payload, stdin: stdin.payload },
        io,
      );
      marks.push(["child: guest done", epochMs()]);
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
    const result: ResultMessage = phases ? { outcome, phases: marks } : { outcome };
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
