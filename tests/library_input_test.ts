/**
 * Library inputs are checked and copied once, at the edge: a malformed field is an
 * invalid_argument envelope naming it (never internal, never echoed off-schema), and each
 * field is read exactly once.
 */
import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { schemaValidator } from "./helpers/schema.ts";
import { tree } from "./helpers/wasp.ts";
import { type PolicyInput, run, runSample, runTask } from "../mod.ts";

Deno.test("run() refuses malformed inputs with invalid_argument naming the field", async () => {
  const validate = await schemaValidator("envelope.schema.json");
  const hello = await cGuest("hello");
  const dir = await tree();
  const cases: [unknown, RegExp][] = [
    [{ module: hello, dirs: [{ host: dir, access: "RW" }] }, /dirs\[0\]\.access must be/],
    [{ module: hello, dirs: [{ host: dir }] }, /dirs\[0\]\.access must be/],
    [{ module: hello, dirs: [{ host: dir, access: "read-only", mode: "x" }] }, /dirs\[0\]\.mode/],
    [{ module: hello, engine: "foo" }, /engine must be "wasp" or "wasmer", not "foo"/],
    [{ module: hello, env: { A: "1" } }, /env must be a list of \[KEY, VALUE\] pairs/],
    [{ module: hello, env: [["A", 1]] }, /env\[0\]\[1\] must be a string/],
    [{ module: hello, args: "abc" }, /args must be an array/],
    [{ module: hello, args: [1] }, /args\[0\] must be a string/],
    [{ module: hello, limits: { timeoutMs: "5" } }, /limits\.timeoutMs must be a whole number/],
    [{ module: hello, limits: { timeout: 5 } }, /limits\.timeout is not a known field/],
    [{ module: hello, stdin: { kind: "file" } }, /stdin\.path must be a string/],
    [{ module: hello, stdin: { kind: "bytes", data: "x" } }, /stdin\.data must be a Uint8Array/],
    [{ module: hello, outputEncoding: "hex" }, /outputEncoding must be "utf8" or "base64"/],
    [{ module: 42 }, /module must be a string/],
    [{ module: hello, extra: true }, /extra is not a known field/],
    [null, /must be an object/],
  ];
  for (const [input, message] of cases) {
    const e = await run(input as PolicyInput);
    assertEquals(e.error_kind, "invalid_argument", JSON.stringify(input));
    assertMatch(e.error!, message);
    assertEquals(validate(e), null);
  }
});

Deno.test("run() reads a getter on stdin.path once: the file checked is the file read", async () => {
  const dir = await tree({ "ok.txt": "checked file", "other.txt": "a different file" });
  let reads = 0;
  const stdin = {
    kind: "file" as const,
    get path() {
      reads++;
      return reads === 1 ? `${dir}/ok.txt` : `${dir}/other.txt`;
    },
  };
  const e = await run({ module: await cGuest("cat"), stdin });
  assertEquals(e.stdout, "checked file");
  assertEquals(reads, 1);
});

Deno.test("run() copies its input: changing the caller's objects after the call changes nothing", async () => {
  const data = new TextEncoder().encode("original");
  const pending = run({ module: await cGuest("cat"), stdin: { kind: "bytes", data } });
  data.fill(0x21);
  assertEquals((await pending).stdout, "original");
  const args = ["one"];
  const hello = run({ module: await cGuest("hello"), args });
  args.push("two");
  assertEquals((await hello).stdout.split("\n").slice(2), ["argv[1]=one", ""]);
});

Deno.test("runSample() refuses a malformed engine as invalid_argument", async () => {
  const e = await runSample("env-report", { engine: "foo" as "wasp" });
  assertEquals(e.error_kind, "invalid_argument");
});

Deno.test("runTask() reads a manifest object once and refuses non-JSON data as invalid_manifest", async () => {
  let reads = 0;
  const manifest = {
    get kind() {
      reads++;
      return reads === 1 ? "sample" : "wasm-run";
    },
    sample: "env-report",
    env: { A: "1" },
  };
  const e = await runTask(manifest as unknown as Record<string, unknown>);
  assertEquals(e.stdout, "A=1\n");
  assertEquals(reads, 1);
  const cyclic: Record<string, unknown> = { kind: "sample", sample: "env-report" };
  cyclic.self = cyclic;
  const bad = await runTask(cyclic);
  assertEquals(bad.error_kind, "invalid_manifest");
  const big = await runTask({ kind: "sample", sample: "env-report", n: 1n } as never);
  assertEquals(big.error_kind, "invalid_manifest");
});
