/**
 * `wasp mcp` with its default wall, the warm pool: calls run in single-use Workers of a
 * serving process walled to the ceiling, time out and are cancelled by terminating their
 * Worker, and the server still ends cleanly when its client closes stdin mid-run.
 */
import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { RawMcp } from "./helpers/raw_mcp.ts";
import { tree } from "./helpers/wasp.ts";

type Reply = Record<string, unknown> & {
  result?: { structuredContent?: Record<string, unknown>; isError?: boolean };
};

async function modules(...guests: string[]): Promise<string> {
  const dir = await tree({ "mods/": "" });
  for (const g of guests) await Deno.copyFile(await cGuest(g), `${dir}/mods/${g}.wasm`);
  return `${dir}/mods`;
}

Deno.test("mcp (pool): calls run in pool Workers; a spinning guest times out and the server keeps answering", async () => {
  const mods = await modules("loop", "hello");
  const server = new RawMcp(["--module-dir", mods, "--max-timeout", "1500"]);
  try {
    await server.initialize();
    await server.call(1, "wasp_run", { module: "loop.wasm" });
    await server.call(2, "wasp_run", { module: "hello.wasm" });
    const hello = (await server.response(2)) as Reply;
    const ok = hello.result?.structuredContent as { stdout: string; policy: { walls: unknown } };
    assertMatch(ok.stdout, /hello from wasp/);
    assertEquals((ok.policy.walls as { deno: string }).deno, "pool");
    const loop = (await server.response(1)) as Reply;
    assertEquals(loop.result?.structuredContent?.error_kind, "timeout");
  } finally {
    await server.dispose();
  }
});

Deno.test("mcp (pool): a client that only closes stdin ends the server while a guest spins", async () => {
  const mods = await modules("loop");
  const server = new RawMcp(["--module-dir", mods]);
  try {
    await server.initialize();
    await server.call(1, "wasp_run", { module: "loop.wasm" });
    await server.call(2, "wasp_policy", {});
    await server.response(2); // the call before it was taken up
    await server.closeInput(); // no signal: the pipe just ends
    const status = await server.exited(20_000);
    assertEquals(status.code, 0);
  } finally {
    await server.dispose();
  }
});
