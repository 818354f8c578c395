import { assert, assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { wasp } from "./helpers/wasp.ts";
import { ChildFrame, FrameDecoder } from "../src/wall/frames.ts";
import { FLUSH_BYTES, OutputCoalescer } from "../src/wall/output_coalescer.ts";

/**
 * The guest writes its 20,000 lines in well under a second on an idle machine; the limit leaves
 * room for a machine loaded many times over, since the lines must all be written before it fires.
 */
const SPIN_TIMEOUT = "10000";

/** Runs the guest that writes 20,000 lines and then spins until the time limit stops it. */
async function spinRun(env: Record<string, string> = {}, extra: string[] = []) {
  const guest = await cGuest("burst_spin");
  return await wasp(["run", guest, "--timeout", SPIN_TIMEOUT, ...extra, "--", "20000"], { env });
}

function expectedLines(n: number): string {
  return Array.from({ length: n }, (_, i) => `line ${i}\n`).join("");
}

for (const wall of ["process", "worker", "pool"]) {
  Deno.test(`run() keeps every line a guest wrote before it spun into the timeout (${wall} wall)`, async () => {
    const r = await spinRun({ WASP_WALL: wall });
    assertEquals(r.envelope.error_kind, "timeout");
    assertEquals(r.envelope.stdout, expectedLines(20000));
  });
}

Deno.test("run() keeps every line when the kernel wall is off and the guest spins", async () => {
  const r = await spinRun({ WASP_KERNEL_WALL: "off" });
  assertEquals(r.envelope.error_kind, "timeout");
  assertEquals(r.envelope.stdout, expectedLines(20000));
});

Deno.test("run() keeps the output in order across the 64 KiB flush and the output cap", async () => {
  const r = await spinRun({}, ["--max-output", "100000"]);
  const all = expectedLines(20000);
  assertEquals(r.envelope.stdout, all.slice(0, 100000));
  assert(r.envelope.stdout_truncated);
});

function collect() {
  const chunks: Uint8Array[] = [];
  const sink = (b: Uint8Array) => void chunks.push(b.slice());
  const frames = () => {
    const d = new FrameDecoder();
    return chunks.flatMap((c) => d.push(c));
  };
  return { sink, chunks, frames };
}

Deno.test("OutputCoalescer writes a write after a quiet spell at once", () => {
  const c = collect();
  const co = new OutputCoalescer(c.sink, false);
  co.output(ChildFrame.STDOUT, new TextEncoder().encode("hello\n"));
  assertEquals(c.chunks.length, 1);
  assert(!co.flusherStarted);
});

Deno.test("OutputCoalescer holds a burst and writes it before any other frame", () => {
  const c = collect();
  const co = new OutputCoalescer(c.sink, false);
  for (let i = 0; i < 100; i++) co.output(ChildFrame.STDOUT, new Uint8Array([i]));
  co.output(ChildFrame.STDERR, new Uint8Array([200]));
  assert(c.chunks.length < 100);
  co.close(new Uint8Array([ChildFrame.RESULT, 0, 0, 0, 0]));
  const frames = c.frames();
  const out = frames.filter((f) => f.type === ChildFrame.STDOUT);
  assertEquals(out.flatMap((f) => [...f.payload]), [...Array(100).keys()]);
  assertEquals(frames.slice(-2).map((f) => f.type), [ChildFrame.STDERR, ChildFrame.RESULT]);
});

Deno.test("OutputCoalescer turns held writes to one stream into one frame, in order", () => {
  const c = collect();
  const co = new OutputCoalescer(c.sink, false);
  const text = (s: string) => new TextEncoder().encode(s);
  co.output(ChildFrame.STDOUT, text("a")); // after a quiet spell: its own frame, at once
  for (const s of ["b", "c", "d"]) co.output(ChildFrame.STDOUT, text(s));
  co.output(ChildFrame.STDERR, text("E"));
  co.output(ChildFrame.STDERR, text("F"));
  co.output(ChildFrame.TRUNCATED, new Uint8Array([1]));
  co.output(ChildFrame.TRUNCATED, new Uint8Array([2]));
  co.output(ChildFrame.STDOUT, text("g"));
  co.flush();
  const frames = c.frames().map((f) => [f.type, new TextDecoder().decode(f.payload)]);
  assertEquals(frames, [
    [ChildFrame.STDOUT, "a"],
    [ChildFrame.STDOUT, "bcd"],
    [ChildFrame.STDERR, "EF"],
    [ChildFrame.TRUNCATED, "\x01"],
    [ChildFrame.TRUNCATED, "\x02"],
    [ChildFrame.STDOUT, "g"],
  ]);
});

Deno.test("OutputCoalescer starts a new frame once the held bytes were written out", () => {
  const c = collect();
  const co = new OutputCoalescer(c.sink, false);
  const text = (s: string) => new TextEncoder().encode(s);
  co.output(ChildFrame.STDOUT, text("a"));
  co.output(ChildFrame.STDOUT, text("b"));
  co.flush();
  co.output(ChildFrame.STDOUT, text("c"));
  co.output(ChildFrame.STDOUT, text("d"));
  co.flush();
  const payloads = c.frames().map((f) => new TextDecoder().decode(f.payload));
  assertEquals(payloads.join(""), "abcd");
  // what was written out is never changed afterwards
  assertEquals(new TextDecoder().decode(c.chunks[1].subarray(5)), "b");
});

Deno.test("OutputCoalescer never holds more than 64 KiB", () => {
  const c = collect();
  const co = new OutputCoalescer(c.sink, false);
  const piece = new Uint8Array(1000).fill(120);
  for (let i = 0; i < 200; i++) co.output(ChildFrame.STDOUT, piece);
  for (const chunk of c.chunks) assert(chunk.length <= FLUSH_BYTES);
  co.flush();
  assertEquals(c.frames().reduce((n, f) => n + f.payload.length, 0), 200_000);
});

Deno.test("OutputCoalescer writes a frame larger than the buffer on its own, in order", () => {
  const c = collect();
  const co = new OutputCoalescer(c.sink, false);
  co.output(ChildFrame.STDOUT, new Uint8Array([1]));
  co.output(ChildFrame.STDOUT, new Uint8Array([2]));
  co.output(ChildFrame.STDOUT, new Uint8Array(FLUSH_BYTES + 10).fill(3));
  co.flush();
  assertEquals(c.frames().map((f) => f.payload[0]), [1, 2, 3]);
});

Deno.test("OutputCoalescer holds nothing close to the parent's timeout", () => {
  const c = collect();
  const co = new OutputCoalescer(c.sink, false);
  co.output(ChildFrame.STDOUT, new Uint8Array([1]));
  co.output(ChildFrame.STDOUT, new Uint8Array([2])); // a burst: held
  assertEquals(c.chunks.length, 1);
  co.stopHoldingBefore(performance.timeOrigin + performance.now()); // the deadline is now
  co.output(ChildFrame.STDOUT, new Uint8Array([3]));
  co.output(ChildFrame.STDOUT, new Uint8Array([4]));
  assertEquals(c.frames().map((f) => f.payload[0]), [1, 2, 3, 4]);
});

Deno.test("OutputCoalescer starts no flusher thread for a few lines in a row", () => {
  const c = collect();
  const co = new OutputCoalescer(c.sink, true);
  for (let i = 0; i < 3; i++) co.output(ChildFrame.STDOUT, new Uint8Array([i]));
  assert(!co.flusherStarted);
  assertEquals(c.chunks.length, 3); // nothing held without a flusher
  co.close(new Uint8Array([ChildFrame.RESULT, 0, 0, 0, 0]));
});
