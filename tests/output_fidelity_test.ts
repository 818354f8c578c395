/**
 * Guest output is never lost silently: base64 gives the exact bytes back, UTF-8 text says
 * when invalid bytes were replaced, and a character cut at the cap never makes the kept text
 * longer than the cap.
 */
import { assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { tree, wasp } from "./helpers/wasp.ts";
import { run } from "../mod.ts";
import { completeUtf8Length, OutputBuffer } from "../src/wall/output_buffer.ts";

const BINARY = new Uint8Array([0x00, 0xff, 0xfe, 0x01, 0x80, 0x41, 0xc3, 0x0a, 0xf0, 0x9f]);

function decodeBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

Deno.test("--output-encoding base64 returns the guest's exact bytes and names the encoding", async () => {
  const dir = await tree();
  await Deno.writeFile(`${dir}/in.bin`, BINARY);
  const r = await wasp([
    "run",
    await cGuest("cat"),
    "--stdin",
    `${dir}/in.bin`,
    "--output-encoding",
    "base64",
  ]);
  assertEquals(r.envelope.output_encoding, "base64");
  assertEquals(decodeBase64(r.envelope.stdout), BINARY);
  assertEquals(r.envelope.stdout_lossy, false);
});

Deno.test("utf8 output marks invalid bytes as lossy, and valid text as not", async () => {
  const cat = await cGuest("cat");
  const bad = await run({ module: cat, stdin: { kind: "bytes", data: BINARY } });
  assertEquals(bad.output_encoding, "utf8");
  assertEquals(bad.stdout_lossy, true);
  assertEquals(bad.stderr_lossy, false);
  const good = await run({
    module: cat,
    stdin: { kind: "bytes", data: new TextEncoder().encode("héllo ✓ 🐝") },
  });
  assertEquals(good.stdout, "héllo ✓ 🐝");
  assertEquals(good.stdout_lossy, false);
});

Deno.test("a multi-byte character cut by the cap is dropped whole: text stays within the cap", async () => {
  const cat = await cGuest("cat");
  const data = new TextEncoder().encode("é".repeat(10)); // 20 bytes, two per character
  const e = await run({
    module: cat,
    stdin: { kind: "bytes", data },
    limits: { maxOutputBytes: 7 },
  });
  assertEquals(e.stdout, "ééé");
  assertEquals(e.stdout_truncated, true);
  assertEquals(e.stdout_lossy, false);
  const bee = await run({
    module: cat,
    stdin: { kind: "bytes", data: new TextEncoder().encode("a🐝🐝") },
    limits: { maxOutputBytes: 7 },
  });
  assertEquals(bee.stdout, "a🐝");
});

Deno.test("replaced invalid bytes never make the kept text longer than the cap", async () => {
  const e = await run({
    module: await cGuest("cat"),
    stdin: { kind: "bytes", data: new Uint8Array(64).fill(0xff) },
    limits: { maxOutputBytes: 16 },
  });
  assertEquals(e.stdout_lossy, true);
  assertEquals(e.stdout_truncated, true);
  assertEquals(utf8Length(e.stdout) <= 16, true);
  assertEquals(e.stdout, "\uFFFD".repeat(5));
});

Deno.test("OutputBuffer.render keeps text within the cap for every cut of every sequence length", () => {
  for (const ch of ["a", "é", "✓", "🐝"]) {
    for (let cap = 1; cap <= 12; cap++) {
      const buf = new OutputBuffer(cap);
      buf.push(new TextEncoder().encode(ch.repeat(8)));
      const r = buf.render("utf8");
      assertEquals(utf8Length(r.text) <= cap, true, `${ch} cap ${cap}`);
      const whole = Math.min(8, Math.floor(cap / utf8Length(ch)));
      assertEquals(r.text, ch.repeat(whole), `${ch} cap ${cap}`);
      assertEquals(r.lossy, false);
    }
  }
  assertEquals(completeUtf8Length(new Uint8Array([0x41, 0xf0, 0x9f, 0x90])), 1);
  assertEquals(completeUtf8Length(new Uint8Array([0x41, 0xc3, 0xa9])), 3);
});

Deno.test("a task manifest can ask for base64 output", async () => {
  const dir = await tree({ "ws/input.txt": "probe" });
  await Deno.writeTextFile(
    `${dir}/task.json`,
    JSON.stringify({
      kind: "sample",
      sample: "workspace-probe",
      workspace: "ws",
      output_encoding: "base64",
    }),
  );
  const r = await wasp(["task", "run", "--manifest", `${dir}/task.json`]);
  assertEquals(r.envelope.output_encoding, "base64");
  assertEquals(new TextDecoder().decode(decodeBase64(r.envelope.stdout)), "probe");
});
