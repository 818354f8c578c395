import { assertEquals } from "./helpers/assert.ts";
import { OutputBuffer } from "../src/wall/output_buffer.ts";
import { within } from "../src/grant_paths.ts";
import { cappedOutput } from "../src/wall/child_output.ts";
import { ChildFrame } from "../src/wall/frames.ts";
import { StopGuest } from "../src/engine/mod.ts";

Deno.test("OutputBuffer keeps exactly N bytes and marks the rest as truncated", () => {
  const b = new OutputBuffer(10);
  b.push(new TextEncoder().encode("abcd"));
  assertEquals(b.truncated, false);
  b.push(new TextEncoder().encode("efghij"));
  assertEquals(b.text(), "abcdefghij");
  assertEquals(b.truncated, false);
  b.push(new TextEncoder().encode("k"));
  assertEquals(b.text(), "abcdefghij");
  assertEquals(b.truncated, true);
  const once = new OutputBuffer(10);
  once.push(new Uint8Array(11).fill(120));
  assertEquals(once.text(), "x".repeat(10));
  assertEquals(once.truncated, true);
});

Deno.test("within() does not take a sibling with a common prefix for a child", () => {
  assertEquals(within("/data/ws", "/data/ws"), true);
  assertEquals(within("/data/ws/a.txt", "/data/ws"), true);
  assertEquals(within("/data/ws-evil", "/data/ws"), false);
  assertEquals(within("/data/ws-evil/a.txt", "/data/ws"), false);
  assertEquals(within("/srv/mods-evil/x.wasm", "/srv/mods"), false);
  assertEquals(within("/anything", "/"), true);
});

Deno.test("the walled child forwards exactly N bytes per stream, then one TRUNCATED, then stops at 4x", () => {
  const sent: [number, number[]][] = [];
  const output = cappedOutput(10, (type, payload) => sent.push([type, [...payload]]));
  output(1, new Uint8Array(6).fill(1));
  output(1, new Uint8Array(5).fill(2));
  output(2, new Uint8Array(10).fill(3));
  output(1, new Uint8Array(20).fill(4));
  assertEquals(sent, [
    [ChildFrame.STDOUT, [1, 1, 1, 1, 1, 1]],
    [ChildFrame.STDOUT, [2, 2, 2, 2]],
    [ChildFrame.TRUNCATED, [1]],
    [ChildFrame.STDERR, new Array(10).fill(3)],
  ]);
  let stopped: unknown = null;
  try {
    output(1, new Uint8Array(10)); // 41 bytes written, past 4 x 10
  } catch (err) {
    stopped = err;
  }
  assertEquals(stopped instanceof StopGuest && stopped.outcome.kind, "failure");
});
