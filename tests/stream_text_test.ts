/**
 * StreamText: the pieces of a stream put together are exactly the envelope's text, whatever
 * the guest's writes split, whatever the bytes, at any cap.
 */
import { assertEquals } from "./helpers/assert.ts";
import { OutputBuffer } from "../src/wall/output_buffer.ts";
import { StreamText } from "../src/report/stream_text.ts";

/** A small deterministic PRNG (mulberry32), so that a failure can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [
  ..."ab\n".split("").map((c) => [c.charCodeAt(0)]),
  [0xc3, 0xa9],
  [0xe2, 0x82, 0xac],
  [0xf0, 0x9f, 0x90, 0x9d],
  [0xff],
  [0x80],
  [0xe2, 0x82],
  [0xf0, 0x80, 0x80],
];

function streamOf(bytes: Uint8Array, cuts: number[], cap: number, encoding: "utf8" | "base64") {
  const buf = new OutputBuffer(cap);
  const text = new StreamText({ encoding, maxBytes: cap });
  const pieces: string[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    const kept = buf.push(bytes.subarray(at, cut));
    if (kept.length > 0) pieces.push(text.push(kept));
    at = cut;
  }
  const rendered = buf.render(encoding);
  pieces.push(text.end(rendered.text));
  return { pieces, rendered };
}

Deno.test("StreamText pieces put together equal the envelope's UTF-8 text, for any split and cap", () => {
  const rand = prng(18);
  for (let round = 0; round < 20000; round++) {
    const parts: number[] = [];
    const n = Math.floor(rand() * 12);
    for (let i = 0; i < n; i++) parts.push(...ALPHABET[Math.floor(rand() * ALPHABET.length)]);
    const bytes = new Uint8Array(parts);
    const cuts = [
      ...new Set(Array.from({ length: 3 }, () => Math.floor(rand() * (bytes.length + 1)))),
    ]
      .sort((a, b) => a - b);
    const cap = 1 + Math.floor(rand() * 24);
    const { pieces, rendered } = streamOf(bytes, cuts, cap, "utf8");
    assertEquals(pieces.join(""), rendered.text, `bytes ${[...bytes]} cuts ${cuts} cap ${cap}`);
  }
});

Deno.test("StreamText holds a character split across writes instead of replacing it", () => {
  const text = new StreamText({ encoding: "utf8", maxBytes: 100 });
  assertEquals(text.push(new Uint8Array([0x61, 0xe2])), "a");
  assertEquals(text.push(new Uint8Array([0x82])), "");
  assertEquals(text.push(new Uint8Array([0xac, 0x0a])), "\u20ac\n");
  assertEquals(text.end("a\u20ac\n"), "");
});

Deno.test("StreamText base64 pieces decode to exactly the kept bytes", () => {
  const bytes = new Uint8Array([0xc3, 0xa9, 0xff, 0x00, 0x41, 0x42, 0x43]);
  const { pieces, rendered } = streamOf(bytes, [1, 4], 6, "base64");
  const joined = pieces.filter((p) => p !== "").map((p) => atob(p)).join("");
  assertEquals(joined, atob(rendered.text));
  assertEquals(joined.length, 6);
});
