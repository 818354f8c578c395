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

Deno.test("FrameDecoder copies each byte once: a 16 MiB frame in 16 KiB chunks is linear", () => {
  const size = 16 * 1024 * 1024;
  const frame = encodeFrame(1, new Uint8Array(size).fill(9));
  const d = new FrameDecoder();
  const proto = Uint8Array.prototype as { set: (a: ArrayLike<number>, o?: number) => void };
  const realSet = proto.set;
  let copied = 0;
  proto.set = function (this: Uint8Array, a: ArrayLike<number>, o?: number) {
    copied += a.length;
    return realSet.call(this, a, o);
  };
  const frames = [];
  try {
    for (let i = 0; i < frame.length; i += 16384) {
      frames.push(...d.push(frame.subarray(i, i + 16384)));
      if (frames.length === 0) assertEquals(d.pending, Math.min(i + 16384, frame.length));
    }
  } finally {
    proto.set = realSet;
  }
  assertEquals(frames.length, 1);
  assertEquals(frames[0].payload.length, size);
  assertEquals(frames[0].payload[size - 1], 9);
  assertEquals(d.pending, 0);
  // a decoder that re-joins its buffer for every chunk copies ~1000x more
  assertEquals(copied <= frame.length, true, `copied ${copied} bytes for ${frame.length}`);
});

Deno.test("FrameDecoder emits a zero-length frame whose header ends a chunk", () => {
  const d = new FrameDecoder();
  assertEquals(d.push(encodeFrame(3, new Uint8Array(0))).map((f) => f.type), [3]);
  assertEquals(d.pending, 0);
});
