/**
 * An example orchestrator built on wasp's library API: it prepares a workspace, lets a
 * "generated" guest work in it behind both walls, and decides what to do from the envelope
 * alone — exactly what an agent runtime does with untrusted code.
 *
 *   deno run --allow-read --allow-write --allow-run --allow-env examples/orchestrator.ts
 * @module
 */
import { run, runTask } from "../mod.ts";

const workspace = await Deno.makeTempDir({ prefix: "wasp-orchestrator-" });
await Deno.writeTextFile(`${workspace}/input.txt`, "data the agent may read\n");

// 1. A built-in sample through a manifest object: reads the workspace read-write.
const probe = await runTask({
  kind: "sample",
  sample: "workspace-probe",
  workspace,
  env: { TASK_ID: "demo-1" },
  limits: { timeout_ms: 5000 },
});
console.log(`probe: ${probe.status}, printed ${JSON.stringify(probe.stdout)}`);

// 2. A module the agent produced: here a sample built to disk, run with a read-only grant,
//    so any write it attempts fails inside the guest and the host stays untouched.
const { assembleSample } = await import("../src/samples/assemble.ts");
const { findSample } = await import("../src/samples/registry.ts");
const modulePath = `${workspace}.write.wasm`;
await Deno.writeFile(modulePath, await assembleSample(findSample("workspace-write")));
const attempt = await run({
  module: modulePath,
  dirs: [{ host: workspace, access: "read-only" }],
  limits: { timeoutMs: 5000, maxOutputBytes: 64 * 1024 },
});
console.log(
  `write attempt on a read-only grant: ${attempt.status} (${attempt.error_kind}), stderr ${
    JSON.stringify(attempt.stderr)
  }`,
);
const untouched = [...Deno.readDirSync(workspace)].map((e) => e.name).sort().join(",");
console.log(`workspace now holds: ${untouched}`);

await Deno.remove(modulePath);
await Deno.remove(workspace, { recursive: true });
Deno.exit(probe.status === "success" && attempt.error_kind === "guest_exit" ? 0 : 1);
