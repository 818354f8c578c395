/**
 * Small truths of the answers: an exit status too large for a process says so, an id JSON
 * cannot carry is refused by name, and MCP names a module path that leads out as such.
 */
import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { lines, PARENT_FLAGS, ROOT, tree, withDeadline } from "./helpers/wasp.ts";
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
  const messages = [
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
    {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "wasp_run", arguments: { module: "../secret/x.wasm" } },
    },
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      ...PARENT_FLAGS,
      `${ROOT}main.ts`,
      "mcp",
      "--module-dir",
      `${dir}/mods`,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(messages.map((m) => JSON.stringify(m) + "\n").join("")));
  await w.close();
  const out = await withDeadline(child.output(), "wasp mcp");
  const reply = lines(new TextDecoder().decode(out.stdout)).map((l) => JSON.parse(l))
    .find((m) => m.id === 1);
  assertMatch(JSON.stringify(reply), /outside every module directory this server allows/);
});
