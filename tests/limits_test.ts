import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest, watGuest } from "./helpers/guests.ts";
import { tree, wasp } from "./helpers/wasp.ts";

Deno.test("run() stops an infinite loop at --timeout and keeps what it printed", async () => {
  const r = await wasp(["run", await cGuest("loop"), "--timeout", "2000"], { deadlineMs: 60_000 });
  assertEquals(r.code, 1);
  assertEquals(r.envelope.error_kind, "timeout");
  assertEquals(r.envelope.exit_code, null);
  assertEquals(r.envelope.stdout, "started\n");
  assertMatch(r.envelope.error!, /2000 ms timeout/);
  assertEquals(r.envelope.policy?.limits.timeout_ms, 2000);
  // never before the limit (how long after it depends on the machine's load: not asserted)
  const elapsed = r.envelope.execution_time_ms;
  assert(elapsed >= 2000, `stopped after ${elapsed} ms`);
});

Deno.test("run() refuses a timeout past its documented maximum instead of clamping it", async () => {
  const r = await wasp(["run", await cGuest("loop"), "--timeout", "2147483648"]);
  assertEquals(r.code, 2);
  assertEquals(r.envelope.error_kind, "invalid_argument");
  assertMatch(r.envelope.error!, /--timeout 2147483648 is above its maximum of 2147483647/);
  for (
    const [flag, value] of [
      ["--max-memory", "5gib"],
      ["--max-output", "65mb"],
      ["--max-sync-files", "1000001"],
      ["--max-sync-bytes", "5gib"],
    ]
  ) {
    const over = await wasp(["run", await cGuest("hello"), flag, value]);
    assertEquals(over.envelope.error_kind, "invalid_argument", `${flag} ${value}`);
  }
});

Deno.test("run() reports a trap with its message and keeps earlier stdout", async () => {
  const unreachable = await wasp(["run", await cGuest("trap")]);
  assertEquals(unreachable.code, 1);
  assertEquals(unreachable.envelope.error_kind, "trap");
  assertEquals(unreachable.envelope.exit_code, null);
  assertEquals(unreachable.envelope.stdout, "before trap\n");
  assertMatch(unreachable.envelope.error!, /unreachable/);
  const oob = await wasp(["run", await cGuest("trap"), "--", "oob"]);
  assertEquals(oob.envelope.error_kind, "trap");
  assertMatch(oob.envelope.error!, /out of bounds/);
});

Deno.test("run() reports a non-zero exit as guest_exit with both streams", async () => {
  const r = await wasp(["run", await cGuest("exit"), "--", "42"]);
  assertEquals(r.code, 1);
  assertEquals(r.envelope.status, "error");
  assertEquals(r.envelope.exit_code, 42);
  assertEquals(r.envelope.error_kind, "guest_exit");
  assertEquals(r.envelope.stdout, "to stdout\n");
  assertEquals(r.envelope.stderr, "to stderr\n");
});

Deno.test("run() reports proc_exit codes from WAT guests exactly", async () => {
  const m = await watGuest(
    "exit7",
    `(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func (export "_start") (call $exit (i32.const 7))))`,
  );
  const r = await wasp(["run", m]);
  assertEquals(r.envelope.exit_code, 7);
  assertEquals(r.envelope.error_kind, "guest_exit");
});

Deno.test("run() keeps exactly the first N bytes of output and marks truncation", async () => {
  const r = await wasp(["run", await cGuest("flood"), "--max-output", "1000", "--", "2500"]);
  assertEquals(r.envelope.status, "success");
  assertEquals(r.envelope.stdout, "x".repeat(1000));
  assertEquals(r.envelope.stdout_truncated, true);
  assertEquals(r.envelope.stderr_truncated, false);
});

Deno.test("run() stops a guest flooding past 4x the output cap", async () => {
  const r = await wasp(["run", await cGuest("flood"), "--max-output", "4096", "--", "100000000"]);
  assertEquals(r.code, 1);
  assertEquals(r.envelope.error_kind, "output_limit");
  assertEquals(r.envelope.stdout.length, 4096);
  assertEquals(r.envelope.stdout_truncated, true);
  const err = await wasp([
    "run",
    await cGuest("flood"),
    "--max-output",
    "100",
    "--",
    "1000",
    "err",
  ]);
  assertEquals(err.envelope.stderr, "x".repeat(100));
  assertEquals(err.envelope.stderr_truncated, true);
  assertEquals(err.envelope.error_kind, "output_limit");
});

Deno.test("run() refuses a module whose initial memory exceeds --max-memory", async () => {
  const m = await watGuest(
    "bigmem",
    `(module (memory (export "memory") 100) (func (export "_start")))`,
  );
  const r = await wasp(["run", m, "--max-memory", "1mb"]);
  assertEquals(r.code, 1);
  assertEquals(r.envelope.error_kind, "memory_limit");
  assertMatch(r.envelope.error!, /6553600 bytes/);
});

Deno.test("run() makes memory.grow fail past --max-memory", async () => {
  const m = await watGuest(
    "grow",
    `(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func (export "_start")
        ;; 20 pages fit under a 2 MiB cap (32 pages); 40 more do not
        (if (i32.eq (memory.grow (i32.const 20)) (i32.const -1)) (then (call $exit (i32.const 1))))
        (if (i32.ne (memory.grow (i32.const 40)) (i32.const -1)) (then (call $exit (i32.const 2))))
        (call $exit (i32.const 0))))`,
  );
  const r = await wasp(["run", m, "--max-memory", "2mb"]);
  assertEquals(r.envelope.exit_code, 0);
});

Deno.test("run() ends a C guest that allocates without bound with memory_limit", async () => {
  const r = await wasp(["run", await cGuest("memhog"), "--max-memory", "32mb"]);
  assertEquals(r.code, 1);
  assertEquals(r.envelope.error_kind, "memory_limit");
  // the cap itself (not just any count): 32 MiB minus what the C runtime keeps for itself
  const mib = Number(/^malloc failed after (\d+) MiB\n$/.exec(r.envelope.stdout)?.[1]);
  assert(mib >= 28 && mib < 32, `malloc stopped after ${mib} MiB under a 32 MiB cap`);
  assertEquals(r.envelope.policy?.limits.max_memory_bytes, 32 * 1024 * 1024);
});

Deno.test("run() gives the guest an empty stdin by default", async () => {
  const r = await wasp(["run", await cGuest("cat")]);
  assertEquals(r.envelope.status, "success");
  assertEquals(r.envelope.stdout, "");
});

Deno.test("run() feeds --stdin FILE to the guest byte-exactly (5 MiB binary)", async () => {
  const dir = await tree();
  const data = new Uint8Array(5 * 1024 * 1024);
  for (let i = 0; i < data.length; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
  await Deno.writeFile(`${dir}/in.bin`, data);
  await Deno.mkdir(`${dir}/out`);
  const r = await wasp([
    "run",
    await cGuest("cat"),
    "--stdin",
    `${dir}/in.bin`,
    "--allow-dir",
    `${dir}/out::/out`,
    "--",
    "/out/copy.bin",
  ]);
  assertEquals(r.envelope.status, "success");
  const copy = await Deno.readFile(`${dir}/out/copy.bin`);
  assertEquals(copy.length, data.length);
  assert(copy.every((b, i) => b === data[i]), "copy differs");
});

Deno.test("run() reads the guest's stdin from wasp's own stdin with --stdin -", async () => {
  const r = await wasp(["run", await cGuest("cat"), "--stdin", "-"], {
    stdin: new TextEncoder().encode("piped text\n"),
  });
  assertEquals(r.envelope.stdout, "piped text\n");
});
