/**
 * Small truths of the answers: an exit status too large for a process says so, an id JSON
 * cannot carry is refused by name, and MCP names a module path that leads out as such.
 */
import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { tree } from "./helpers/wasp.ts";
import { mcpSession } from "./helpers/raw_mcp.ts";
import { serve } from "./helpers/serve.ts";
import { run } from "../src/run.ts";

Deno.test("run() says which exit code it reports when the guest's is above 255", async () => {
  const envelope = await run({ module: await cGuest("exit"), args: ["2147483647"] });
  assertEquals(envelope.exit_code, 255);
  assertMatch(envelope.error!, /code 2147483647 \(exit_code says 255,/);
});

Deno.test("wasp serve refuses a request id JSON cannot carry (1e400)", async () => {
  const dir = await tree({ "mods/": "" });
  await Deno.copyFile(await cGuest("hello"), `${dir}/mods/hello.wasm`);
  const { answers } = await serve(["--module-dir", `${dir}/mods`], [
    `{"id":1e400,"kind":"wasm-run","module":"${dir}/mods/hello.wasm"}`,
  ]);
  assertEquals(answers[0].id, null);
  assertEquals(answers[0].error_kind, "invalid_manifest");
  assertMatch(answers[0].error!, /id must be a string or a number JSON can carry/);
});

Deno.test("wasp mcp (pool) names a module path that leads out of its module directories", async () => {
  const dir = await tree({ "mods/": "", "secret/": "" });
  await Deno.copyFile(await cGuest("hello"), `${dir}/secret/x.wasm`);
  const messages = await mcpSession(["--module-dir", `${dir}/mods`], [
    { module: "../secret/x.wasm" },
  ]);
  const reply = messages.find((m) => m.id === 1);
  assertMatch(JSON.stringify(reply), /outside every module directory this server allows/);
});
