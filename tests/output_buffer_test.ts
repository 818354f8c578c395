import { assertEquals } from "./helpers/assert.ts";
import { OutputBuffer } from "../src/wall/output_buffer.ts";
import { within } from "../src/grant_paths.ts";

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
