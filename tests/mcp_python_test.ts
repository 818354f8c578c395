/**
 * The `wasp_python` MCP tool: its arguments are checked against its published schema and the
 * operator's ceiling like wasp_run's, and it runs the real interpreter.
 */
import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { mcpClient } from "./helpers/mcp_client.ts";
import { tree } from "./helpers/wasp.ts";
import { schemaValidator } from "./helpers/schema.ts";
import type { Envelope } from "../src/envelope.ts";

Deno.test("mcp: wasp_python runs code with a mount, stdin, args and allowed env, and refuses what the ceiling does not allow", async () => {
  const root = await tree({ "data/in.txt": "41" });
  const client = await mcpClient([
    "--allow-dir",
    `data=${root}/data:ro`,
    "--env",
    "MODE",
    "--max-timeout",
    "20000",
  ]);
  try {
    const call = async (args: Record<string, unknown>) => {
      const r = await client.callTool({ name: "wasp_python", arguments: args });
      return { isError: r.isError === true, envelope: r.structuredContent as Envelope };
    };
    const code = [
      "import os, sys",
      "n = int(open('/data/in.txt').read()) + 1",
      "print(n, sys.argv[1:], os.environ['MODE'], sys.stdin.read())",
      "open('/data/out.txt', 'w')",
    ].join("\n");
    const ok = await call({
      code,
      args: ["x"],
      stdin: "piped",
      env: { MODE: "review" },
      mounts: [{ alias: "data" }],
    });
    assertEquals(ok.envelope.stdout, "42 ['x'] review piped\n");
    assertMatch(ok.envelope.stderr, /OSError|PermissionError/);
    assertEquals(ok.envelope.exit_code, 1);
    assertEquals(ok.envelope.policy?.runtime?.name, "cpython");
    assertEquals((await schemaValidator("envelope.schema.json"))(ok.envelope), null);
    const refusals: [Record<string, unknown>, string, RegExp][] = [
      [{}, "invalid_argument", /wasp_python argument code is required/],
      [{ code: "1", module: "x.wasm" }, "invalid_argument", /argument module is not a field/],
      [{ code: "1", engine: "wasmer" }, "invalid_argument", /argument engine is not a field/],
      [{ code: "1", env: { SECRET: "x" } }, "policy_error", /env key SECRET is not allowed/],
      [{ code: "1", mounts: [{ alias: "data", mode: "rw" }] }, "policy_error", /is read-only/],
      [{ code: "1", timeout_ms: 60000 }, "policy_error", /above this server's ceiling/],
    ];
    for (const [args, kind, message] of refusals) {
      const r = await call(args);
      assertEquals([r.isError, r.envelope.error_kind], [true, kind], JSON.stringify(args));
      assertMatch(r.envelope.error!, message);
    }
    const task = await client.callTool({
      name: "wasp_run_task",
      arguments: { manifest: { kind: "python", code: "print(1)" } },
    });
    assertEquals((task.structuredContent as Envelope).error_kind, "policy_error");
    assertMatch((task.structuredContent as Envelope).error!, /not served by wasp_run_task/);
  } finally {
    await client.close();
  }
});
