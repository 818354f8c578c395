/**
 * Stdin is bounded (--max-stdin), read under the run's clock, and interrupted by signals:
 * an endless or silent stdin can neither exhaust wasp's memory nor hang it.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { countWalledChildren, readingStdin, until } from "./helpers/processes.ts";
import { PARENT_FLAGS, ROOT, tree, wasp } from "./helpers/wasp.ts";
import { schemaValidator } from "./helpers/schema.ts";
import type { Envelope } from "../src/envelope.ts";

/** Runs wasp with its stdin redirected from `stdinPath` by the shell. */
async function waspWithStdinFrom(stdinPath: string, args: string[]) {
  const quoted = [Deno.execPath(), "run", ...PARENT_FLAGS, `${ROOT}main.ts`, ...args]
    .map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
  const out = await new Deno.Command("bash", {
    args: ["-c", `exec ${quoted} < '${stdinPath}'`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assertEquals(text.trim().split("\n").length, 1, text);
  return { code: out.code, envelope: JSON.parse(text) as Envelope };
}

Deno.test("--stdin - from /dev/zero is refused at the --max-stdin cap, not read forever", async () => {
  const cat = await cGuest("cat");
  const r = await waspWithStdinFrom("/dev/zero", [
    "run",
    cat,
    "--stdin",
    "-",
    "--max-stdin",
    "1mb",
  ]);
  assertEquals(r.envelope.error_kind, "invalid_argument");
  assertMatch(r.envelope.error!, /stdin is larger than the 1048576-byte cap; raise --max-stdin/);
  assertEquals(r.envelope.policy?.limits.max_stdin_bytes, 1048576);
  assertEquals(r.envelope.policy?.stdin, { source: "pipe" });
  assertEquals(r.code, 2);
  assertEquals((await schemaValidator("envelope.schema.json"))(r.envelope), null);
});

Deno.test("--stdin - under the default cap reaches the guest; policy shows the 64 MiB default", async () => {
  const cat = await cGuest("cat");
  const r = await wasp(["run", cat, "--stdin", "-"], {
    stdin: new TextEncoder().encode("piped in"),
  });
  assertEquals(r.envelope.stdout, "piped in");
  assertEquals(r.envelope.policy?.limits.max_stdin_bytes, 64 * 1024 * 1024);
});

Deno.test("--stdin FILE: a device is refused without being read, a file past the cap too", async () => {
  const cat = await cGuest("cat");
  const dev = await wasp(["run", cat, "--stdin", "/dev/zero"]);
  assertEquals(dev.envelope.error_kind, "invalid_argument");
  assertMatch(dev.envelope.error!, /--stdin file \/dev\/zero is not a regular file; .*--stdin - </);
  const dir = await tree();
  const big = await Deno.open(`${dir}/big.bin`, { write: true, create: true });
  await big.truncate(2 * 1024 * 1024 * 1024); // sparse: 2 GiB that take no disk space
  big.close();
  const r = await wasp(["run", cat, "--stdin", `${dir}/big.bin`, "--max-stdin", "4kb"]);
  assertEquals(r.envelope.error_kind, "invalid_argument");
  assertMatch(r.envelope.error!, /stdin is larger than the 4096-byte cap/);
  const ok = await tree({ "in.txt": "from a file" });
  const good = await wasp(["run", cat, "--stdin", `${ok}/in.txt`]);
  assertEquals(good.envelope.stdout, "from a file");
  assertEquals(good.envelope.policy?.stdin, { source: "file", path: `${ok}/in.txt` });
});

Deno.test("--max-stdin beyond its 1gb ceiling is refused, never clamped", async () => {
  const r = await wasp(["run", await cGuest("cat"), "--max-stdin", "2gb"]);
  assertEquals(r.envelope.error_kind, "invalid_argument");
  assertMatch(r.envelope.error!, /max stdin cannot exceed 1gb/);
});

/** Starts `wasp run cat --stdin -` with a stdin pipe that the test never writes to. */
function silentStdinRun(cat: string, timeout: string) {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...PARENT_FLAGS,
      `${ROOT}main.ts`,
      "run",
      cat,
      "--stdin",
      "-",
      "--timeout",
      timeout,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

Deno.test("the timeout covers reading stdin: a silent stdin pipe ends as a timeout", async () => {
  const dir = await tree();
  await Deno.copyFile(await cGuest("cat"), `${dir}/cat.wasm`);
  const child = silentStdinRun(`${dir}/cat.wasm`, "700");
  const out = await child.output(); // stdin stays open: only the timeout can end the run
  const envelope = JSON.parse(new TextDecoder().decode(out.stdout)) as Envelope;
  assertEquals(envelope.error_kind, "timeout");
  assertEquals(envelope.policy?.limits.timeout_ms, 700);
  assertEquals(out.code, 1);
});

Deno.test("SIGTERM while wasp waits for stdin cancels the run and still prints one envelope", async () => {
  const dir = await tree();
  const cat = `${dir}/cat.wasm`;
  await Deno.copyFile(await cGuest("cat"), cat);
  const child = silentStdinRun(cat, "0");
  await until(async () => (await countWalledChildren(cat)) === 1, "the walled child");
  // the module is read after the child is spawned, and stdin after that
  await until(() => readingStdin(child.pid), "wasp to read stdin");
  child.kill("SIGTERM");
  const out = await child.output();
  const text = new TextDecoder().decode(out.stdout);
  assertEquals(text.trim().split("\n").length, 1, text);
  const envelope = JSON.parse(text) as Envelope;
  assertEquals(envelope.error_kind, "cancelled");
  assert(envelope.policy !== null);
  assertEquals((await schemaValidator("envelope.schema.json"))(envelope), null);
  assertEquals(out.code, 1);
  await until(async () => (await countWalledChildren(cat)) === 0, "the child to go");
});
