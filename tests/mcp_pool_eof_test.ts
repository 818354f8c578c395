/**
 * `wasp mcp` on the pool answers every call it received when its client closes stdin right
 * after sending them, refused or cancelled as need be, like the process wall does.
 */
import { assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { lines, PARENT_FLAGS, ROOT, tree, withDeadline } from "./helpers/wasp.ts";

Deno.test("wasp mcp (pool) answers every call received before its input ended", async () => {
  const dir = await tree({ "ws/": "", "mods/": "", "secret/": "" });
  await Deno.copyFile(await cGuest("hello"), `${dir}/mods/t.wasm`);
  await Deno.copyFile(await cGuest("hello"), `${dir}/secret/x.wasm`);
  const call = (id: number, args: unknown) => ({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "wasp_run", arguments: args },
  });
  const input = [
    {
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "t", version: "1" },
      },
    },
    { jsonrpc: "2.0", method: "notifications/initialized" },
    call(1, { module: "../secret/x.wasm" }),
    call(2, { module: "t.wasm", mounts: [{ alias: "ws", guest: "/c" }] }),
    call(3, { module: "t.wasm", timeout_ms: 0 }),
  ].map((m) => JSON.stringify(m) + "\n").join("");
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      ...PARENT_FLAGS,
      `${ROOT}main.ts`,
      "mcp",
      "--allow-dir",
      `ws=${dir}/ws`,
      "--module-dir",
      `${dir}/mods`,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(input));
  await w.close();
  const out = await withDeadline(child.output(), "wasp mcp");
  const ids = lines(new TextDecoder().decode(out.stdout)).map((l) => JSON.parse(l).id);
  assertEquals(ids.toSorted(), [0, 1, 2, 3]);
});
