/**
 * Directories that stay read-only inside a read-write grant: an MCP server's read-only alias
 * nested in a mounted read-write alias, and wasp's own code (and Deno's module cache), which a
 * guest must never change for a later run to load.
 */
import { assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { mcpClient } from "./helpers/mcp_client.ts";
import { exists, lines, ROOT, tree, wasp } from "./helpers/wasp.ts";
import type { Envelope } from "../src/envelope.ts";

Deno.test("mcp: a read-only alias inside a mounted read-write alias stays read-only", async () => {
  const dir = await tree({ "ws/docs/doc.txt": "operator's docs", "ws/note.txt": "note" });
  await Deno.mkdir(`${dir}/mods`);
  await Deno.copyFile(await cGuest("fsops"), `${dir}/mods/fsops.wasm`);
  const client = await mcpClient([
    "--allow-dir",
    `ws=${dir}/ws`,
    "--allow-dir",
    `docs=${dir}/ws/docs:ro`,
    "--module-dir",
    `${dir}/mods`,
  ]);
  try {
    const r = await client.callTool({
      name: "wasp_run",
      arguments: {
        module: "fsops.wasm",
        mounts: [{ alias: "ws" }],
        args: [
          "write:/ws/note.txt:changed",
          "write:/ws/docs/doc.txt:pwned",
          "create:/ws/docs/new.txt:x",
          "unlink:/ws/docs/doc.txt",
          "rename:/ws/docs:/ws/moved",
        ],
      },
    });
    const envelope = r.structuredContent as Envelope;
    assertEquals(lines(envelope.stdout), [
      "write ok",
      "write err EROFS",
      "create err EROFS",
      "unlink err EROFS",
      "rename err EROFS",
    ]);
    assertEquals(envelope.policy?.read_only_within, [`${dir}/ws/docs`]);
  } finally {
    await client.close();
  }
  assertEquals(await Deno.readTextFile(`${dir}/ws/docs/doc.txt`), "operator's docs");
  assertEquals(await exists(`${dir}/ws/docs/new.txt`), false);
});

Deno.test("run() keeps wasp's own code read-only when a read-write grant contains it", async () => {
  const root = ROOT.replace(/\/$/, "");
  const canary = `${root}/.wasp-own-code-canary`;
  try {
    const r = await wasp([
      "run",
      await cGuest("fsops"),
      "--allow-dir",
      `${root}::/ws`,
      "--",
      "read:/ws/deno.json",
      "create:/ws/.wasp-own-code-canary:x",
      "append:/ws/README.md:pwned",
    ]);
    const out = lines(r.envelope.stdout);
    assertEquals(out.slice(-2), ["create err EROFS", "append err EROFS"]);
    assertEquals(r.envelope.policy?.read_only_within?.includes(root), true);
  } finally {
    const leaked = await exists(canary);
    if (leaked) await Deno.remove(canary);
    assertEquals(leaked, false);
  }
});
