import { assertEquals } from "./helpers/assert.ts";
import { encodeFrame, FrameDecoder, FrameTooLarge } from "../src/wall/frames.ts";

Deno.test("FrameDecoder reassembles frames split across arbitrary chunks", () => {
  const a = encodeFrame(1, new TextEncoder().encode("hello"));
  const b = encodeFrame(3, new Uint8Array(0));
  const c = encodeFrame(2, new Uint8Array(70000).fill(7));
  const all = new Uint8Array([...a, ...b, ...c]);
  for (const size of [1, 3, 5, 64, 4096, all.length]) {
    const d = new FrameDecoder();
    const frames = [];
    for (let i = 0; i < all.length; i += size) frames.push(...d.push(all.slice(i, i + size)));
    assertEquals(frames.map((f) => [f.type, f.payload.length]), [[1, 5], [3, 0], [2, 70000]]);
    assertEquals(new TextDecoder().decode(frames[0].payload), "hello");
    assertEquals(d.pending, 0);
  }
});

Deno.test("FrameDecoder refuses a frame larger than its limit before buffering it", () => {
  const d = new FrameDecoder(1000);
  const head = new Uint8Array(5);
  head[0] = 1;
  new DataView(head.buffer).setUint32(1, 1001, true);
  let thrown = false;
  try {
    d.push(head);
  } catch (err) {
    thrown = err instanceof FrameTooLarge;
  }
  assertEquals(thrown, true);
});
