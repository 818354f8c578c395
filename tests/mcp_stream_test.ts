/**
 * MCP streaming: with a progressToken, a call's output goes out as progress notifications
 * while the guest still runs; without one, nothing but the reply is sent.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { mcpClient } from "./helpers/mcp_client.ts";
import { RawMcp } from "./helpers/raw_mcp.ts";
import { tree, withDeadline } from "./helpers/wasp.ts";
import type { Envelope } from "../src/envelope.ts";

async function setup() {
  const dir = await tree({ "ws/": "", "mods/": "" });
  await Deno.copyFile(await cGuest("stream_probe"), `${dir}/mods/probe.wasm`);
  const args = ["--allow-dir", `ws=${dir}/ws`, "--module-dir", `${dir}/mods`];
  return { dir, args };
}

interface Progress {
  progress: number;
  message?: string;
  _meta?: Record<string, unknown>;
}

for (const wall of ["process", "worker", "pool"]) {
  Deno.test(`mcp: with a progressToken, output arrives as progress notifications while the guest runs (${wall} wall)`, async () => {
    const { dir, args } = await setup();
    // the server runs calls in its warm pool unless told to use walled processes
    const wallArgs = wall === "pool" ? [] : ["--wall", "process"];
    const client = await mcpClient([...args, ...wallArgs], { WASP_WALL: wall });
    try {
      const notes: Progress[] = [];
      // the guest sleeps until ws/go exists, which is created only when "ready" has arrived
      const result = await withDeadline(
        client.callTool(
          {
            name: "wasp_run",
            arguments: { module: "probe.wasm", args: ["wait", "/ws"], mounts: [{ alias: "ws" }] },
          },
          undefined,
          {
            onprogress: (p: Progress) => {
              notes.push(p);
              if (p.message === "ready\n") Deno.writeTextFileSync(`${dir}/ws/go`, "");
            },
          },
        ),
        "the call",
      );
      const envelope = (result as { structuredContent?: unknown }).structuredContent as Envelope;
      assertEquals(envelope.status, "success");
      assertEquals(envelope.stdout, "ready\ndone\n");
      assertEquals(envelope.policy?.walls?.deno, wall);
      const out = notes.filter((n) => n._meta?.["wasp/stream"] === "stdout").map((n) => n.message);
      // the SDK's client runs progress handlers a microtask late: a notification that arrives in
      // the same read as the reply can be dropped by it (the raw test below sees the wire)
      assertEquals(out[0], "ready\n");
      assert(envelope.stdout.startsWith(out.join("")));
      for (let i = 1; i < notes.length; i++) assert(notes[i].progress > notes[i - 1].progress);
    } finally {
      await client.close();
    }
  });
}

Deno.test("mcp: every output notification goes out before the reply, in order, and adds up to the envelope", async () => {
  const { dir, args } = await setup();
  const raw = new RawMcp(args);
  try {
    await raw.initialize();
    await raw.send({
      jsonrpc: "2.0",
      id: 9,
      method: "tools/call",
      params: {
        name: "wasp_run",
        arguments: { module: "probe.wasm", args: ["wait", "/ws"], mounts: [{ alias: "ws" }] },
        _meta: { progressToken: "t9" },
      },
    });
    const notes: Progress[] = [];
    let reply: Record<string, unknown>;
    for (;;) {
      const m = await raw.readMessage();
      if (m.id === 9) {
        reply = m;
        break;
      }
      assertEquals(m.method, "notifications/progress");
      const p = m.params as Progress & { progressToken: unknown };
      assertEquals(p.progressToken, "t9");
      notes.push(p);
      if (p.message === "ready\n") await Deno.writeTextFile(`${dir}/ws/go`, "");
    }
    const envelope = (reply.result as { structuredContent: Envelope }).structuredContent;
    const text = (stream: string) =>
      notes.filter((n) => n._meta?.["wasp/stream"] === stream).map((n) => n.message).join("");
    assertEquals(text("stdout"), envelope.stdout);
    assertEquals(text("stderr"), envelope.stderr);
    assertEquals(envelope.stderr, "warming\n\u00e9\n");
    for (let i = 1; i < notes.length; i++) assert(notes[i].progress > notes[i - 1].progress);
  } finally {
    await raw.dispose();
  }
});

Deno.test("mcp: without a progressToken a call sends no notifications, only its reply", async () => {
  const { dir, args } = await setup();
  await Deno.writeTextFile(`${dir}/ws/go`, "");
  const raw = new RawMcp(args);
  try {
    await raw.initialize();
    await raw.call(7, "wasp_run", {
      module: "probe.wasm",
      args: ["wait", "/ws"],
      mounts: [{ alias: "ws" }],
    });
    const first = await raw.readMessage();
    assertEquals(first.id, 7);
    const envelope = (first.result as { structuredContent: Envelope }).structuredContent;
    assertEquals(envelope.stdout, "ready\ndone\n");
  } finally {
    await raw.dispose();
  }
});
