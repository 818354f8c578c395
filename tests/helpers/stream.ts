/**
 * Runs the wasp CLI with `--stream` as a real subprocess and hands each NDJSON line to the test
 * as it arrives, so that the test can react to output while the guest still runs.
 * @module
 */
import type { StreamEvent } from "../../src/report/stream_events.ts";
import { killedAfter, parentFlags, ROOT } from "./wasp.ts";

/** What one streamed CLI invocation produced. */
export interface StreamResult {
  code: number;
  /** Every stdout line, parsed, in order. */
  events: StreamEvent[];
  /** The raw stdout lines. */
  lines: string[];
  stderr: string;
}

/**
 * Runs main.ts with `args`; `onEvent` sees each event as its line arrives. Fails the test
 * (killing wasp) after `deadlineMs`, or when a line is not one JSON object.
 */
export async function waspStream(
  args: string[],
  options: {
    env?: Record<string, string>;
    onEvent?: (event: StreamEvent) => void | Promise<void>;
    deadlineMs?: number;
  } = {},
): Promise<StreamResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...parentFlags(options.env), `${ROOT}main.ts`, ...args],
    env: options.env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const events: StreamEvent[] = [];
  const lines: string[] = [];
  let rest = "";
  const status = await killedAfter(child, options.deadlineMs, args, async () => {
    try {
      for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
        rest += text;
        let nl;
        while ((nl = rest.indexOf("\n")) !== -1) {
          const line = rest.slice(0, nl);
          rest = rest.slice(nl + 1);
          lines.push(line);
          const event = JSON.parse(line) as StreamEvent;
          if (typeof event !== "object" || event === null || Array.isArray(event)) {
            throw new Error(`not a JSON object: ${line.slice(0, 200)}`);
          }
          events.push(event);
          await options.onEvent?.(event);
        }
      }
    } catch (err) {
      child.kill("SIGKILL");
      await child.status;
      throw err;
    }
    return await child.status;
  });
  if (rest !== "") throw new Error(`stdout ended without a newline: ${rest.slice(0, 200)}`);
  return { code: status.code, events, lines, stderr: await stderr };
}

/** The data of the output events of `stream`, put together. */
export function streamed(events: StreamEvent[], stream: "stdout" | "stderr"): string {
  return events.map((e) => (e.type === stream ? e.data : "")).join("");
}
