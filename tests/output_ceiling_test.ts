import { assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { cutFloods } from "./helpers/huge_json.ts";
import { RawMcp } from "./helpers/raw_mcp.ts";
import { PARENT_FLAGS, ROOT, tree } from "./helpers/wasp.ts";
import { jsonChunks, StreamedString } from "../src/json_chunks.ts";

const MIB = 1024 * 1024;

Deno.test("jsonChunks() gives exactly JSON.stringify's text, compact and indented", () => {
  const long = 'a\u0000\u0001\uFFFD\u{1F600}"\\\n'.repeat(70_000);
  const samples: unknown[] = [
    { status: "success", n: -0, x: [1, "two", null, { y: [] }, {}], s: long, u: undefined },
    [long, "\ud83d", long.slice(0, 262_143) + "\u{1F600}" + "tail"],
    "plain",
    42,
    null,
    { nested: { deeper: { list: [true, false, 1.5e300] } } },
  ];
  for (const indent of [0, 2]) {
    for (const v of samples) {
      assertEquals([...jsonChunks(v, indent)].join(""), JSON.stringify(v, null, indent));
    }
  }
  const inner = { text: long };
  const outer = { text: new StreamedString(() => jsonChunks(inner)) };
  assertEquals([...jsonChunks(outer)].join(""), JSON.stringify({ text: JSON.stringify(inner) }));
});

Deno.test("run prints one whole envelope for 64 MiB of NUL, 0x01 and 0xFF bytes per stream", async () => {
  const guest = await cGuest("bytes");
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...PARENT_FLAGS,
      `${ROOT}main.ts`,
      "run",
      guest,
      "--max-output",
      "64mb",
      "--",
      String(65 * MIB),
      "00",
      "01ff",
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = await child.output();
  assertEquals(new TextDecoder().decode(out.stderr), "");
  const bytes = out.stdout;
  assertEquals(bytes.at(-1), 0x0a);
  assertEquals(bytes.indexOf(0x0a), bytes.length - 1); // one line
  const rest = cutFloods(bytes, [
    { after: '"stdout":"', unit: "\\u0000", count: 64 * MIB },
    // each 0x01 0xFF pair is 4 bytes of text (U+FFFD takes 3): the text stays within the cap
    { after: '"stderr":"', unit: "\\u0001\uFFFD", count: 16 * MIB },
  ]);
  const envelope = JSON.parse(rest);
  assertEquals(envelope.status, "success");
  assertEquals([envelope.stdout, envelope.stderr], ["", ""]);
  assertEquals([envelope.stdout_truncated, envelope.stderr_truncated], [true, true]);
  assertEquals(envelope.policy.limits.max_output_bytes, 64 * MIB);
  assertEquals(out.code, 0);
});

Deno.test("mcp answers 16 MiB (its ceiling) of NUL, 0x01 and 0xFF per stream with one whole reply", async () => {
  const dir = await tree({ "mods/": "" });
  await Deno.copyFile(await cGuest("bytes"), `${dir}/mods/bytes.wasm`);
  const server = new RawMcp(["--module-dir", `${dir}/mods`, "--max-output", "16mb"]);
  try {
    await server.initialize();
    await server.call(9, "wasp_run", {
      module: "bytes.wasm",
      args: [String(17 * MIB), "00", "01ff"],
    });
    const line = await server.readLine(300_000);
    // the envelope travels twice: as JSON text (escaped once more) and as structuredContent
    const rest = cutFloods(line, [
      { after: '\\"stdout\\":\\"', unit: "\\\\u0000", count: 16 * MIB },
      // cut to the cap in UTF-8 bytes, like the CLI's (4 bytes per 0x01 0xFF pair)
      { after: '\\"stderr\\":\\"', unit: "\\\\u0001\uFFFD", count: 4 * MIB },
      { after: '"stdout":"', unit: "\\u0000", count: 16 * MIB },
      { after: '"stderr":"', unit: "\\u0001\uFFFD", count: 4 * MIB },
    ]);
    const reply = JSON.parse(rest);
    assertEquals(reply.id, 9);
    const envelope = reply.result.structuredContent;
    assertEquals(JSON.parse(reply.result.content[0].text), envelope);
    assertEquals(envelope.status, "success");
    assertEquals([envelope.stdout_truncated, envelope.stderr_truncated], [true, true]);
    assertEquals(envelope.policy.limits.max_output_bytes, 16 * MIB);
    await server.call(10, "wasp_run", { module: "sample:env-report" });
    const next = await server.response(10);
    assertEquals((next.result as { isError: boolean }).isError, false);
  } finally {
    await server.dispose();
  }
});
