import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { tree } from "./helpers/wasp.ts";
import { DEFAULT_LIMITS, run, runTask, SAMPLES, VERSION } from "../mod.ts";

Deno.test("run() returns the envelope for a module with grants, env and limits", async () => {
  const dir = await tree({ "in.txt": "library input" });
  const e = await run({
    module: await cGuest("fsops"),
    args: ["read:/data/in.txt", "write:/data/out.txt:x"],
    dirs: [{ host: dir, guest: "/data", access: "read-only" }],
    env: [["TASK_ID", "lib"]],
    limits: { timeoutMs: 9000 },
  });
  assertEquals(e.stdout, "read ok library input\nwrite err EROFS\n");
  assertEquals(e.policy?.limits.timeout_ms, 9000);
  assertEquals(e.policy?.limits.max_output_bytes, DEFAULT_LIMITS.maxOutputBytes);
});

Deno.test("run() never throws: bad input comes back as an envelope", async () => {
  const e = await run({ module: "/nonexistent.wasm" });
  assertEquals(e.error_kind, "module_not_found");
  const bad = await run({ module: await cGuest("hello"), env: [["", "x"]] });
  assertEquals(bad.error_kind, "invalid_argument");
});

Deno.test("run() stdin bytes and an AbortSignal that cancels a running guest", async () => {
  const echo = await run({
    module: await cGuest("cat"),
    stdin: { kind: "bytes", data: new TextEncoder().encode("bytes in") },
  });
  assertEquals(echo.stdout, "bytes in");
  const controller = new AbortController();
  const pending = run({ module: await cGuest("loop"), limits: { timeoutMs: 0 } }, {
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(), 300);
  const cancelled = await pending;
  assertEquals(cancelled.error_kind, "cancelled");
  assertMatch(cancelled.error!, /cancelled/);
});

Deno.test("run() can use the worker wall", async () => {
  const e = await run({ module: await cGuest("env"), env: [["W", "1"]] }, { wall: "worker" });
  assertEquals(e.stdout, "W=1\n");
});

Deno.test("runTask() takes a manifest object with paths relative to baseDir", async () => {
  const dir = await tree({ "ws/input.txt": "from baseDir" });
  const e = await runTask({ kind: "sample", sample: "workspace-probe", workspace: "ws" }, {
    baseDir: dir,
  });
  assertEquals(e.stdout, "from baseDir");
  const bad = await runTask({ kind: "sample" });
  assertEquals(bad.error_kind, "invalid_manifest");
  assertMatch(bad.error!, /manifest \(object\): field "sample" is required/);
});

Deno.test("mod.ts exposes the samples and a version", () => {
  assertEquals(SAMPLES.length, 3);
  assert(/^\d+\.\d+\.\d+$/.test(VERSION));
});

Deno.test("run() counts execution_time_ms from the call, not from the process start", async () => {
  // make the process clock clearly older than any single run
  while (performance.now() < 1500) await new Promise((r) => setTimeout(r, 50));
  for (const input of [{ module: await cGuest("hello") }, { module: "/nonexistent.wasm" }]) {
    const before = performance.now();
    const e = await run(input);
    const around = performance.now() - before;
    assert(e.execution_time_ms <= Math.ceil(around), `${e.execution_time_ms} > ${around}`);
  }
});
