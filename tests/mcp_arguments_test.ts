/**
 * Every MCP tool checks its arguments against the JSON Schema it publishes, before anything
 * runs: a field the schema does not know, a wrong type or a value outside an enum is refused
 * (isError, invalid_argument) naming the field — never ignored, never guessed at.
 */
import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { mcpClient } from "./helpers/mcp_client.ts";
import { exists, tree } from "./helpers/wasp.ts";
import type { Envelope } from "../src/envelope.ts";

const RUN = { module: "sample:env-report" };

/** [tool, arguments, what the error must say] */
const MALFORMED: [string, unknown, RegExp][] = [
  ["wasp_run", {}, /wasp_run argument module is required/],
  ["wasp_run", { module: 5 }, /argument module must be of type string/],
  ["wasp_run", { ...RUN, mod: "ro" }, /argument mod is not a field of this tool/],
  ["wasp_run", { ...RUN, timeout: 5 }, /argument timeout is not a field/],
  ["wasp_run", { ...RUN, mount: [{ alias: "ws" }] }, /argument mount is not a field/],
  [
    "wasp_run",
    { module: "fsops.wasm", mounts: [{ alias: "ws", mode: "read-only" }], args: ["write:/ws/n:x"] },
    /argument mounts\[0\]\.mode must be "ro" or "rw"/,
  ],
  ["wasp_run", { ...RUN, mounts: [{ alias: "ws", mode: "RO" }] }, /mounts\[0\]\.mode must be/],
  ["wasp_run", { ...RUN, mounts: [{ alias: "ws", extra: 1 }] }, /mounts\[0\]\.extra is not a/],
  ["wasp_run", { ...RUN, mounts: [{ guest: "/x" }] }, /argument mounts\[0\]\.alias is required/],
  ["wasp_run", { ...RUN, mounts: "ws" }, /argument mounts must be of type array/],
  ["wasp_run", { ...RUN, args: "abc" }, /argument args must be of type array/],
  ["wasp_run", { ...RUN, args: {} }, /argument args must be of type array/],
  ["wasp_run", { ...RUN, args: [1] }, /argument args\[0\] must be of type string/],
  ["wasp_run", { ...RUN, env: { MODE: 1 } }, /argument env\.MODE must be of type string/],
  ["wasp_run", { ...RUN, env: ["MODE=x"] }, /argument env must be of type object/],
  ["wasp_run", { ...RUN, stdin: 5 }, /argument stdin must be of type string/],
  ["wasp_run", { ...RUN, stdin: null }, /argument stdin must be of type string/],
  ["wasp_run", { ...RUN, timeout_ms: 1.5 }, /argument timeout_ms must be a whole number/],
  ["wasp_run", { ...RUN, timeout_ms: "5" }, /argument timeout_ms must be a whole number/],
  ["wasp_run", { ...RUN, timeout_ms: 0 }, /argument timeout_ms must be >= 1/],
  ["wasp_run", { ...RUN, max_memory_bytes: 10 }, /max_memory_bytes must be >= 65536/],
  ["wasp_run", { ...RUN, max_output_bytes: 0 }, /argument max_output_bytes must be >= 1/],
  ["wasp_run_task", {}, /wasp_run_task argument manifest is required/],
  ["wasp_run_task", { manifest: "x" }, /argument manifest must be of type object/],
  ["wasp_run_task", { manifest: [] }, /argument manifest must be of type object/],
  [
    "wasp_run_task",
    { manifest: { kind: "sample", sample: "env-report" }, engine: "wasmer" },
    /wasp_run_task argument engine is not a field/,
  ],
  ["wasp_policy", { verbose: true }, /wasp_policy argument verbose is not a field/],
  ["wasp_shell", { command: "id" }, /there is no tool "wasp_shell"/],
];

Deno.test("mcp: every tool refuses malformed arguments, naming the field, before anything runs", async () => {
  const dir = await tree({ "ws/": "", "mods/": "" });
  await Deno.copyFile(await cGuest("fsops"), `${dir}/mods/fsops.wasm`);
  const client = await mcpClient([
    "--allow-dir",
    `ws=${dir}/ws`,
    "--env",
    "MODE",
    "--module-dir",
    `${dir}/mods`,
  ]);
  try {
    for (const [name, args, pattern] of MALFORMED) {
      const what = `${name} ${JSON.stringify(args)}`;
      const r = await client.callTool({ name, arguments: args as Record<string, unknown> });
      const envelope = r.structuredContent as Envelope;
      assertEquals(r.isError, true, what);
      assertEquals(envelope.error_kind, "invalid_argument", what);
      assertMatch(envelope.error!, pattern, what);
      assertEquals(envelope.policy, null, `${what} must not have run`);
      const text = (r.content as { text: string }[])[0].text;
      assertEquals(JSON.parse(text), r.structuredContent, what);
    }
    // the fail-open case of the report: a bad mode on a read-write alias wrote the host file
    assertEquals(await exists(`${dir}/ws/n`), false);
  } finally {
    await client.close();
  }
});

Deno.test("mcp: wasp_run_task keeps the manifest's engine and max_sync limits, within the ceiling", async () => {
  const client = await mcpClient([]);
  try {
    const manifest = {
      kind: "sample",
      sample: "env-report",
      engine: "wasmer",
      limits: { max_sync_files: 5, max_sync_bytes: 4096 },
    };
    const r = await client.callTool({ name: "wasp_run_task", arguments: { manifest } });
    const envelope = r.structuredContent as Envelope;
    assertEquals(envelope.status, "success", envelope.error ?? "");
    assertEquals(envelope.policy?.engine, "wasmer");
    assertEquals(envelope.policy?.limits.max_sync_files, 5);
    assertEquals(envelope.policy?.limits.max_sync_bytes, 4096);
    const above = await client.callTool({
      name: "wasp_run_task",
      arguments: { manifest: { ...manifest, limits: { max_sync_files: 10_001 } } },
    });
    assertEquals((above.structuredContent as Envelope).error_kind, "policy_error");
    assertMatch((above.structuredContent as Envelope).error!, /max_sync_files 10001 is above/);
  } finally {
    await client.close();
  }
});
