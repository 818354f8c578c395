import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { tree, wasp } from "./helpers/wasp.ts";

Deno.test("sample list prints every sample as JSON", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../main.ts", import.meta.url).pathname, "sample", "list"],
  }).output();
  const rows = JSON.parse(new TextDecoder().decode(out.stdout));
  assertEquals(rows.map((r: { name: string }) => r.name), [
    "workspace-probe",
    "workspace-write",
    "env-report",
  ]);
  for (const r of rows) assertEquals(typeof r.description, "string");
});

Deno.test("seed walkthrough: workspace-probe prints input.txt from the workspace", async () => {
  const dir = await tree({ "workspace/input.txt": "agent input\n" });
  const r = await wasp(["sample", "run", "workspace-probe", "--workspace", "./workspace"], {
    cwd: dir,
  });
  assertEquals(r.envelope.status, "success");
  assertEquals(r.envelope.stdout, "agent input\n");
  assertEquals(r.envelope.policy?.module, "workspace-probe");
  assertEquals(r.envelope.policy?.dirs, [
    { host: `${dir}/workspace`, guest: "./workspace", access: "read-write" },
  ]);
});

Deno.test("seed walkthrough: workspace-write creates agent-note.txt only in the workspace", async () => {
  const dir = await tree({ "workspace/input.txt": "x" });
  const r = await wasp(["sample", "run", "workspace-write", "--workspace", "./workspace"], {
    cwd: dir,
  });
  assertEquals(r.envelope.stdout, "written\n");
  const names = [...Deno.readDirSync(`${dir}/workspace`)].map((e) => e.name).sort();
  assertEquals(names, ["agent-note.txt", "input.txt"]);
  assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["workspace"]);
  assertMatch(await Deno.readTextFile(`${dir}/workspace/agent-note.txt`), /workspace-write/);
});

Deno.test("seed walkthrough: env-report prints only the injected variables", async () => {
  const dir = await tree();
  const r = await wasp(
    ["sample", "run", "env-report", "--workspace", ".", "--env", "TASK_ID=abc123"],
    { cwd: dir, env: { WASP_TEST_SECRET: "hunter2" } },
  );
  assertEquals(r.envelope.stdout, "TASK_ID=abc123\n");
});

Deno.test("seed walkthrough: a built sample behaves identically under wasp run", async () => {
  const dir = await tree({ "workspace/input.txt": "same bytes\n" });
  const build = await wasp(["sample", "build", "workspace-probe", "./workspace-probe.wasm"], {
    cwd: dir,
  });
  assertEquals(build.envelope.status, "success");
  const direct = await wasp(["run", "./workspace-probe.wasm", "--allow-dir", "./workspace"], {
    cwd: dir,
  });
  const viaSample = await wasp(["sample", "run", "workspace-probe", "--workspace", "./workspace"], {
    cwd: dir,
  });
  for (const key of ["status", "exit_code", "stdout", "stderr", "error"] as const) {
    assertEquals(direct.envelope[key], viaSample.envelope[key], key);
  }
  assertEquals(direct.envelope.stdout, "same bytes\n");
});

Deno.test("sample run without a workspace fails inside the guest, not in wasp", async () => {
  const r = await wasp(["sample", "run", "workspace-probe"]);
  assertEquals(r.code, 1);
  assertEquals(r.envelope.error_kind, "guest_exit");
  assertMatch(r.envelope.stderr, /grant a workspace/);
});

Deno.test("sample errors are JSON: unknown name, unwritable output, bad options", async () => {
  const unknown = await wasp(["sample", "run", "no-such-sample"]);
  assertEquals(unknown.code, 2);
  assertMatch(unknown.envelope.error!, /unknown sample "no-such-sample"; known samples: /);
  const unwritable = await wasp(["sample", "build", "env-report", "/nonexistent-dir/x.wasm"]);
  assertEquals(unwritable.code, 2);
  assertMatch(unwritable.envelope.error!, /cannot write \/nonexistent-dir\/x\.wasm/);
  const badOpt = await wasp(["sample", "run", "env-report", "--allow-dir", "/"]);
  assertEquals(badOpt.envelope.error_kind, "invalid_argument");
  assertMatch(badOpt.envelope.error!, /unknown option --allow-dir/);
});

Deno.test("sample run applies the same limits as wasp run", async () => {
  const dir = await tree({ "workspace/input.txt": "y".repeat(5000) });
  const r = await wasp([
    "sample",
    "run",
    "workspace-probe",
    "--workspace",
    `${dir}/workspace`,
    "--max-output",
    "100",
    "--timeout",
    "9000",
  ]);
  assertEquals(r.envelope.stdout, "y".repeat(100));
  assertEquals(r.envelope.stdout_truncated, true);
  assertEquals(r.envelope.policy?.limits.max_output_bytes, 100);
  assertEquals(r.envelope.policy?.limits.timeout_ms, 9000);
});
