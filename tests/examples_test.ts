import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { cargoGuest } from "./helpers/rust.ts";
import { lines, PARENT_FLAGS, ROOT, tree, wasp } from "./helpers/wasp.ts";

async function sh(cmd: string, args: string[], cwd?: string) {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed:\n${text}`);
  return text;
}

Deno.test("examples/c: the C template builds with clang and runs through wasp", async () => {
  const dir = await tree({ "workspace/notes.txt": "n" });
  await sh("bash", [`${ROOT}examples/c/build.sh`, `${dir}/task.wasm`]);
  const r = await wasp([
    "run",
    `${dir}/task.wasm`,
    "--allow-dir",
    `${dir}/workspace::/workspace`,
    "--env",
    "TASK_ID=abc123",
    "--",
    "one",
  ]);
  assertEquals(lines(r.envelope.stdout), [
    "task abc123, 1 argument(s)",
    "found notes.txt",
    "wrote summary.txt",
  ]);
  assertEquals(
    await Deno.readTextFile(`${dir}/workspace/summary.txt`),
    "task abc123 saw 1 file(s)\n",
  );
});

Deno.test("examples/rust: the Rust template builds with cargo and runs through wasp", async () => {
  const dir = await tree({ "workspace/notes.txt": "n" });
  const r = await wasp([
    "run",
    await cargoGuest("examples/rust", "task"),
    "--allow-dir",
    `${dir}/workspace::/workspace`,
    "--env",
    "TASK_ID=abc123",
    "--",
    "one",
  ]);
  assertEquals(lines(r.envelope.stdout), [
    "task abc123, 1 argument(s)",
    "found notes.txt",
    "wrote summary.txt",
  ]);
  assertEquals(
    await Deno.readTextFile(`${dir}/workspace/summary.txt`),
    "task abc123 saw 1 file(s)\n",
  );
});

Deno.test("examples/rust-guests/workspace_probe builds with cargo and prints input.txt like the sample", async () => {
  const dir = await tree({ "workspace/input.txt": "hello from the host\n" });
  const wasm = await cargoGuest("examples/rust-guests/workspace_probe");
  const r = await wasp(["run", wasm, "--allow-dir-ro", "./workspace"], { cwd: dir });
  assertEquals(r.envelope.status, "success", r.envelope.error ?? "");
  assertEquals(r.envelope.stdout, "hello from the host\n");
  const sample = await wasp(["sample", "run", "workspace-probe", "--workspace", "./workspace"], {
    cwd: dir,
  });
  assertEquals(sample.envelope.stdout, r.envelope.stdout);
  const none = await wasp(["run", wasm]);
  assertEquals(none.envelope.exit_code, 1);
  assertMatch(none.envelope.stderr, /cannot open input\.txt; grant a workspace/);
});

Deno.test("examples/rust-guests/workspace_write builds with cargo and writes agent-note.txt like the sample", async () => {
  const dir = await tree({ "rust/": "", "sample/": "" });
  const wasm = await cargoGuest("examples/rust-guests/workspace_write");
  const r = await wasp(["run", wasm, "--allow-dir", `${dir}/rust::/workspace`]);
  assertEquals(r.envelope.status, "success", r.envelope.error ?? "");
  assertEquals(r.envelope.stdout, "written\n");
  await wasp(["sample", "run", "workspace-write", "--workspace", `${dir}/sample`]);
  assertEquals(
    await Deno.readTextFile(`${dir}/rust/agent-note.txt`),
    await Deno.readTextFile(`${dir}/sample/agent-note.txt`),
  );
  const ro = await wasp(["run", wasm, "--allow-dir-ro", `${dir}/rust::/workspace`]);
  assertEquals(ro.envelope.exit_code, 1);
  assertMatch(ro.envelope.stderr, /cannot write agent-note\.txt; grant a writable workspace/);
});

Deno.test("examples/assemblyscript: the template builds from npm and runs through wasp", async () => {
  const dir = await tree();
  await sh("cp", ["-r", `${ROOT}examples/assemblyscript/.`, dir]);
  await sh("npm", ["install", "--no-package-lock", "--no-fund", "--no-audit", "--silent"], dir);
  await sh("npm", ["run", "build", "--silent"], dir);
  const r = await wasp(["run", `${dir}/build/task.wasm`, "--env", "TASK_ID=as-1", "--", "hi"]);
  assertEquals(r.envelope.status, "success", r.envelope.error ?? "");
  assertEquals(lines(r.envelope.stdout), [
    "task as-1, 1 argument(s)",
    "arg 1: hi",
    "sum of squares 1..1000 = 333833500",
  ]);
});

Deno.test("examples/orchestrator.ts drives wasp through the library API", async () => {
  const text = await sh(Deno.execPath(), [
    "run",
    ...PARENT_FLAGS,
    `${ROOT}examples/orchestrator.ts`,
  ]);
  assertMatch(text, /probe: success, printed "data the agent may read\\n"/);
  assertMatch(text, /write attempt on a read-only grant: error \(guest_exit\)/);
  assertMatch(text, /workspace now holds: input\.txt\n/);
});
