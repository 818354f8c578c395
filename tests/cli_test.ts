import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest, watGuest } from "./helpers/guests.ts";
import { lines, tree, wasp } from "./helpers/wasp.ts";
import { VERSION } from "../src/version.ts";

const FIELDS = [
  "status",
  "exit_code",
  "execution_time_ms",
  "stdout",
  "stderr",
  "error",
  "error_kind",
  "stdout_truncated",
  "stderr_truncated",
  "stdout_lossy",
  "stderr_lossy",
  "output_encoding",
  "policy",
  "denials",
  "denials_dropped",
];

Deno.test("run prints one envelope with the contract's fields in order", async () => {
  const hello = await cGuest("hello");
  const r = await wasp(["run", hello]);
  assertEquals(Object.keys(r.envelope), FIELDS);
  assertEquals(r.envelope.status, "success");
  assertEquals(r.envelope.exit_code, 0);
  assertEquals(r.envelope.error, null);
  assert(Number.isInteger(r.envelope.execution_time_ms));
  assertEquals(r.code, 0);
  assertEquals(r.stderr, "");
});

Deno.test("seed: run with a workspace grant and an env var", async () => {
  const ws = await tree({ "input.txt": "seed input" });
  const fsops = await cGuest("fsops");
  const r = await wasp([
    "run",
    fsops,
    "--allow-dir",
    ws,
    "--env",
    "TASK_ID=abc123",
    "--",
    `read:${ws}/input.txt`,
    `write:${ws}/out.txt:done`,
  ]);
  assertEquals(lines(r.envelope.stdout), ["read ok seed input", "write ok"]);
  assertEquals(await Deno.readTextFile(`${ws}/out.txt`), "done");
  assertEquals(r.envelope.policy?.dirs, [{ host: ws, guest: ws, access: "read-write" }]);
  assertEquals(r.envelope.policy?.env_keys, ["TASK_ID"]);
});

Deno.test("seed: run with nothing granted", async () => {
  const r = await wasp(["run", await cGuest("hello")]);
  assertEquals(lines(r.envelope.stdout)[0], "hello from wasp");
  assertEquals(r.envelope.policy?.dirs, []);
});

Deno.test("seed: two --env flags both reach the guest", async () => {
  const r = await wasp([
    "run",
    await cGuest("env"),
    "--env",
    "TASK_ID=abc123",
    "--env",
    "MODE=review",
  ]);
  assertEquals(lines(r.envelope.stdout), ["TASK_ID=abc123", "MODE=review"]);
});

Deno.test("seed: a missing module is a module_not_found envelope with exit status 2", async () => {
  const r = await wasp(["run", "./does-not-exist.wasm"]);
  assertEquals(r.code, 2);
  assertEquals(r.envelope.status, "error");
  assertEquals(r.envelope.exit_code, null);
  assertEquals(r.envelope.error_kind, "module_not_found");
  assertMatch(r.envelope.error!, /does-not-exist\.wasm does not exist/);
  assertEquals(r.stderr, "");
});

Deno.test("guest arguments after -- reach argv with argv[0] as given", async () => {
  const hello = await cGuest("hello");
  const r = await wasp(["run", hello, "--", "one", "two words", "--flag"]);
  assertEquals(lines(r.envelope.stdout).slice(1), [
    `argv[0]=${hello}`,
    "argv[1]=one",
    "argv[2]=two words",
    "argv[3]=--flag",
  ]);
});

Deno.test("a non-wasm file is refused as invalid_module", async () => {
  const dir = await tree({ "task.wasm": "#!/bin/sh\necho pwned\n" });
  const r = await wasp(["run", `${dir}/task.wasm`]);
  assertEquals(r.code, 2);
  assertEquals(r.envelope.error_kind, "invalid_module");
  assertMatch(r.envelope.error!, /not a WebAssembly binary/);
});

Deno.test("a truncated module is refused as invalid_module", async () => {
  const bytes = await Deno.readFile(await cGuest("hello"));
  const dir = await tree();
  await Deno.writeFile(`${dir}/cut.wasm`, bytes.subarray(0, 200));
  const r = await wasp(["run", `${dir}/cut.wasm`]);
  assertEquals(r.code, 2);
  assertEquals(r.envelope.error_kind, "invalid_module");
  assertMatch(r.envelope.error!, /not valid WebAssembly/);
});

Deno.test("a module without _start is refused as invalid_module", async () => {
  const m = await watGuest(
    "nostart",
    `(module (memory (export "memory") 1) (func (export "run")))`,
  );
  const r = await wasp(["run", m]);
  assertEquals(r.code, 2);
  assertEquals(r.envelope.error_kind, "invalid_module");
  assertMatch(r.envelope.error!, /no _start/);
});

Deno.test("a module importing a non-WASI function is refused as invalid_module", async () => {
  const m = await watGuest(
    "foreign",
    `(module (import "env" "system" (func)) (memory (export "memory") 1) (func (export "_start")))`,
  );
  const r = await wasp(["run", m]);
  assertEquals(r.envelope.error_kind, "invalid_module");
  assertMatch(r.envelope.error!, /imports env\.system/);
});

Deno.test("a WebAssembly component is refused with a preview1 hint", async () => {
  const dir = await tree();
  await Deno.writeFile(`${dir}/c.wasm`, new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]));
  const r = await wasp(["run", `${dir}/c.wasm`]);
  assertEquals(r.envelope.error_kind, "invalid_module");
  assertMatch(r.envelope.error!, /component/);
});

Deno.test("unknown options and stray arguments are invalid_argument envelopes", async () => {
  const hello = await cGuest("hello");
  for (
    const [args, pattern] of [
      [["run", hello, "--allow-net"], /unknown option --allow-net/],
      [["run", hello, "extra"], /put guest arguments after --/],
      [["run"], /missing module/],
      [["run", hello, "--env", "NOVALUE"], /KEY=VALUE/],
      [["run", hello, "--env", "=x"], /KEY=VALUE/],
      [["run", hello, "--timeout", "soon"], /--timeout/],
      [["run", hello, "--max-memory", "lots"], /--max-memory/],
      [["run", hello, "--engine", "v8"], /--engine/],
      [["frobnicate"], /unknown command/],
    ] as [string[], RegExp][]
  ) {
    const r = await wasp(args);
    assertEquals(r.code, 2, args.join(" "));
    assertEquals(r.envelope.error_kind, "invalid_argument", args.join(" "));
    assertMatch(r.envelope.error!, pattern);
    assertEquals(r.stderr, "");
  }
});

Deno.test("grant errors are policy_error envelopes", async () => {
  const hello = await cGuest("hello");
  const dir = await tree({ "file.txt": "x", "a/": "", "b/": "" });
  for (
    const [args, pattern] of [
      [["--allow-dir", `${dir}/missing`], /does not exist/],
      [["--allow-dir", `${dir}/file.txt`], /not a directory/],
      [["--allow-dir", `${dir}/a::/w`, "--allow-dir-ro", `${dir}/b::/w`], /two grants/],
    ] as [string[], RegExp][]
  ) {
    const r = await wasp(["run", hello, ...args]);
    assertEquals(r.code, 2);
    assertEquals(r.envelope.error_kind, "policy_error");
    assertMatch(r.envelope.error!, pattern);
  }
});

Deno.test("--pretty indents the same envelope", async () => {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../main.ts", import.meta.url).pathname,
      "run",
      "x.wasm",
      "--pretty",
    ],
    stdout: "piped",
  });
  const text = new TextDecoder().decode((await cmd.output()).stdout);
  assert(text.startsWith('{\n  "status": "error"'));
  assertEquals(JSON.parse(text).error_kind, "module_not_found");
});

Deno.test("--version and --help print plain text", async () => {
  const main = new URL("../main.ts", import.meta.url).pathname;
  const version = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, "--version"],
  }).output();
  assertEquals(new TextDecoder().decode(version.stdout), `wasp ${VERSION}\n`);
  const help = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, "run", "--help"],
  }).output();
  assertMatch(new TextDecoder().decode(help.stdout), /--allow-dir-ro/);
  assertEquals(help.code, 0);
});

Deno.test("VERSION matches deno.json", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  assertEquals(config.version, VERSION);
});

Deno.test("huge argument lists reach the guest intact", async () => {
  const many = Array.from({ length: 2000 }, (_, i) => `arg-${i}`);
  const big = "x".repeat(100_000);
  const r = await wasp(["run", await cGuest("hello"), "--max-output", "2mb", "--", ...many, big]);
  assertEquals(r.envelope.status, "success");
  const out = lines(r.envelope.stdout);
  assertEquals(out.length, 1 + 1 + many.length + 1);
  assertEquals(out[2001], "argv[2000]=arg-1999");
  assertEquals(out[2002], `argv[2001]=${big}`);
});

Deno.test("paths with commas are refused: Deno's permission lists cannot express them", async () => {
  const dir = await tree({ "a,b/": "" });
  await Deno.copyFile(await cGuest("hello"), `${dir}/a,b/m.wasm`);
  const module = await wasp(["run", `${dir}/a,b/m.wasm`]);
  assertEquals(module.envelope.error_kind, "policy_error");
  assertMatch(module.envelope.error!, /comma/);
  const grant = await wasp(["run", await cGuest("hello"), "--allow-dir", `${dir}/a,b`]);
  assertEquals(grant.envelope.error_kind, "policy_error");
  assertMatch(grant.envelope.error!, /comma/);
});
