/**
 * The walled child's side of the output cap: forwards at most the cap's bytes of each stream
 * to the parent, says once when a stream went past it, and stops a guest that writes more
 * than four times the cap.
 * @module
 */
import type { EngineIo } from "../engine/mod.ts";
import { StopGuest } from "../engine/mod.ts";
import { ChildFrame } from "./frames.ts";

/** Sends one frame to the parent. */
export type SendFrame = (type: number, payload: Uint8Array) => void;

/** The `output` service of EngineIo for a cap of `maxOutput` bytes per stream. */
export function cappedOutput(maxOutput: number, send: SendFrame): EngineIo["output"] {
  const written = { 1: 0, 2: 0 };
  return (fd, bytes) => {
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
  };
}
