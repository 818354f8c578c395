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
import {
  type BrokerRequest,
  type BrokerResponse,
  MAX_BROKER_PATH,
  type StartMessage,
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

function makeIo(maxOutput: number): EngineIo {
  return {
    output: cappedOutput(maxOutput, send),
    symlink(target, path) {
      const encoder = new TextEncoder();
      if (encoder.encode(target).length > MAX_BROKER_PATH) return "ENAMETOOLONG";
      if (encoder.encode(path).length > MAX_BROKER_PATH) return "ENAMETOOLONG";
      const request: BrokerRequest = { op: "symlink", target, path };
      send(ChildFrame.BROKER_REQUEST, encoder.encode(JSON.stringify(request)));
      const reply = readFrameSync(Deno.stdin);
      if (reply === null || reply.type !== ParentFrame.BROKER_RESPONSE) return "EIO";
      const msg = JSON.parse(new TextDecoder().decode(reply.payload)) as BrokerResponse;
      return msg.error;
    },
  };
}

async function loadEngine(name: string): Promise<Engine> {
  if (name === "wasp") return waspEngine;
  if (name === "wasmer") return (await import("../engine/wasmer.ts")).wasmerEngine;
  throw new Error(`unknown engine ${name}`);
}

async function main(): Promise<void> {
  let outcome: Outcome;
  try {
    const start = readFrameSync(Deno.stdin);
    const stdin = readFrameSync(Deno.stdin);
    if (start?.type !== ParentFrame.START || stdin?.type !== ParentFrame.STDIN) {
      throw new Error("the parent sent no start message");
    }
    const msg = JSON.parse(new TextDecoder().decode(start.payload)) as StartMessage;
    const engine = await loadEngine(msg.engine);
    const io = makeIo(msg.request.limits.maxOutputBytes);
    try {
      outcome = await engine.run({ ...msg.request, stdin: stdin.payload }, io);
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
