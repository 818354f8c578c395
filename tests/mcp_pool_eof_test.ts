/**
 * `wasp mcp` on the pool answers every call it received when its client closes stdin right
 * after sending them, refused or cancelled as need be, like the process wall does.
 */
import { assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { tree } from "./helpers/wasp.ts";
import { mcpSession } from "./helpers/raw_mcp.ts";

Deno.test("wasp mcp (pool) answers every call received before its input ended", async () => {
  const dir = await tree({ "ws/": "", "mods/": "", "secret/": "" });
  await Deno.copyFile(await cGuest("hello"), `${dir}/mods/t.wasm`);
  await Deno.copyFile(await cGuest("hello"), `${dir}/secret/x.wasm`);
  const messages = await mcpSession(
    ["--allow-dir", `ws=${dir}/ws`, "--module-dir", `${dir}/mods`],
    [
      { module: "../secret/x.wasm" },
      { module: "t.wasm", mounts: [{ alias: "ws", guest: "/c" }] },
      { module: "t.wasm", timeout_ms: 0 },
    ],
  );
  const ids = messages.map((m) => m.id);
  assertEquals(ids.toSorted(), [0, 1, 2, 3]);
});
