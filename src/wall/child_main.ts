/**
 * Entry point of the walled child. It runs with exactly the policy's permissions, reads
 * its orders from stdin, runs the engine, and speaks to the parent only in frames on
 * stdout. Nothing here is reachable from guest code except through the engine.
 * @module
 */
import type { Engine, EngineIo, Outcome } from "../engine/mod.ts";
import { StopGuest } from "../engine/mod.ts";
import { waspEngine } from "../engine/wasp.ts";
import { cappedOutput } from "./child_output.ts";
import {
  ChildFrame,
  encodeFrame,
  encodeJsonFrame,
  ParentFrame,
  readFrameSync,
  writeAllSync,
} from "./frames.ts";
import { cpuBudgetSeconds } from "./backstop.ts";
import { applyKernelWall, type KernelRule, revokeFfi } from "./landlock.ts";
import {
  type BrokerRequest,
  type BrokerResponse,
  MAX_BROKER_PATH,
  type StartMessage,
  type WallsMessage,
} from "./protocol.ts";

function send(type: number, payload: Uint8Array): void {
  try {
    writeAllSync(Deno.stdout, encodeFrame(type, payload));
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

async function loadEngine(name: string): Promise<Engine> {
  if (name === "wasp") return waspEngine;
  if (name === "wasmer") {
    // load the SDK now: once the kernel wall is up, only the grants can be read
    await (await import("../deps.ts")).loadWasmer();
    return (await import("../engine/wasmer.ts")).wasmerEngine;
  }
  throw new Error(`unknown engine ${name}`);
}

async function main(): Promise<void> {
  let outcome: Outcome;
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
    const engine = await loadEngine(msg.engine);
    try {
      const io = makeIo(msg.request.limits.maxOutputBytes, openTreeLock(msg.request.treeLock));
      const walls: WallsMessage = kernelWall(msg);
      send(ChildFrame.WALLS, new TextEncoder().encode(JSON.stringify(walls)));
      outcome = await engine.run(
        { ...msg.request, module: module.payload, stdin: stdin.payload },
        io,
      );
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
    writeAllSync(Deno.stdout, encodeJsonFrame(ChildFrame.RESULT, { outcome }));
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

// Runs only as the walled child (a process's main module, or the worker wall's Worker), so
// that a parent can import this module merely to have it cached for a remote run.
if (import.meta.main || "WorkerGlobalScope" in globalThis) await main();
