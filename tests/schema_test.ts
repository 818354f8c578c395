import { assert, assertEquals } from "./helpers/assert.ts";
import { cGuest, watGuest } from "./helpers/guests.ts";
import { schemaValidator } from "./helpers/schema.ts";
import { ROOT, tree, wasp } from "./helpers/wasp.ts";
import { parseJsonc } from "../src/manifest_syntax.ts";
import { buildPolicy } from "../src/policy.ts";
import { runWalled } from "../src/wall/run_walled.ts";
import type { Envelope } from "../src/envelope.ts";

Deno.test("every shipped manifest validates against manifest.schema.json", async () => {
  const validate = await schemaValidator("manifest.schema.json");
  let count = 0;
  for (const entry of Deno.readDirSync(`${ROOT}manifests`)) {
    if (!/\.jsonc?$/.test(entry.name)) continue;
    const text = await Deno.readTextFile(`${ROOT}manifests/${entry.name}`);
    assertEquals(validate(await parseJsonc(text, entry.name)), null, entry.name);
    count++;
  }
  assert(count >= 3);
});

Deno.test("manifest.schema.json rejects what the parser rejects", async () => {
  const validate = await schemaValidator("manifest.schema.json");
  for (
    const bad of [
      { kind: "exec" },
      { kind: "sample" },
      { kind: "sample", sample: "env-report", extra: 1 },
      { kind: "wasm-run", module: "m.wasm", allow_dirs: [{ path: "x", access: "rw" }] },
      { kind: "sample", sample: "env-report", env: { "A=B": "x" } },
      { kind: "sample", sample: "env-report", limits: { timeout_ms: -1 } },
    ]
  ) assert(validate(bad) !== null, JSON.stringify(bad));
});

Deno.test("real envelopes of success and every error kind validate against envelope.schema.json", async () => {
  const validate = await schemaValidator("envelope.schema.json");
  const dir = await tree({ "ws/input.txt": "x", "not.wasm": "text", "bad.json": "{" });
  const loop = await cGuest("loop");
  const nostart = await watGuest("schema-nostart", `(module (memory (export "memory") 1))`);
  const runs: [string, string[]][] = [
    ["success", ["run", await cGuest("hello"), "--", "a"]],
    ["success", ["sample", "run", "workspace-probe", "--workspace", `${dir}/ws`]],
    ["success", ["run", await cGuest("flood"), "--max-output", "10", "--", "20"]],
    ["invalid_argument", ["run", "--bogus"]],
    ["module_not_found", ["run", `${dir}/missing.wasm`]],
    ["invalid_module", ["run", `${dir}/not.wasm`]],
    ["invalid_module", ["run", nostart]],
    ["invalid_manifest", ["task", "run", "--manifest", `${dir}/bad.json`]],
    ["policy_error", ["run", loop, "--allow-dir", `${dir}/nope`]],
    ["guest_exit", ["run", await cGuest("exit"), "--", "3"]],
    ["trap", ["run", await cGuest("trap")]],
    ["timeout", ["run", loop, "--timeout", "200"]],
    ["memory_limit", ["run", await cGuest("memhog"), "--max-memory", "16mb"]],
    ["output_limit", ["run", await cGuest("flood"), "--max-output", "10", "--", "1000"]],
  ];
  const envelopes: [string, Envelope][] = await Promise.all(
    runs.map(async ([kind, args]) => [kind, (await wasp(args)).envelope] as [string, Envelope]),
  );
  const policy = buildPolicy({ module: await cGuest("hello") });
  envelopes.push([
    "internal",
    await runWalled(policy, { entry: new URL("file:///nonexistent/child.ts") }),
  ]);
  for (const [kind, envelope] of envelopes) {
    assertEquals(envelope.error_kind ?? "success", kind, JSON.stringify(envelope));
    assertEquals(validate(envelope), null, kind);
  }
});
