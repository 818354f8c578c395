/**
 * The module is checked without being opened (a FIFO or device never is), bounded in size,
 * read once by the parent and handed to the walled child as bytes; the envelope names the
 * SHA-256 of exactly what ran.
 */
import { createHash } from "node:crypto";
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { nativeSwapper, startSwapper } from "./helpers/race.ts";
import { tree, wasp } from "./helpers/wasp.ts";
import { buildPolicy, checkPolicy, readModule, withModuleAsync } from "../src/policy.ts";
import { run, runPolicy } from "../src/run.ts";
import { WaspError } from "../src/envelope.ts";
import { readCheckedModule, readCheckedModuleAsync, within } from "../src/module_file.ts";

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

Deno.test("a FIFO as the module is refused at once, without opening it", async () => {
  const dir = await tree();
  const fifo = `${dir}/guest.wasm`;
  const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
  assertEquals(made.code, 0);
  // nobody ever opens the other end: opening the FIFO would block wasp forever
  const r = await wasp(["run", fifo]);
  assertEquals(r.envelope.error_kind, "invalid_module");
  assertMatch(r.envelope.error!, /is not a regular file \(a FIFO, socket or device\)/);
  assertEquals(r.code, 2);
});

Deno.test("a device or a directory as the module is refused", async () => {
  const dev = await wasp(["run", "/dev/zero"]);
  assertEquals(dev.envelope.error_kind, "invalid_module");
  const dir = await tree({ "d.wasm/": "" });
  const d = await wasp(["run", `${dir}/d.wasm`]);
  assertEquals(d.envelope.error_kind, "invalid_module");
  assertMatch(d.envelope.error!, /is a directory/);
});

Deno.test("a module larger than 256 MiB is refused before it is read", async () => {
  const dir = await tree();
  const file = await Deno.open(`${dir}/huge.wasm`, { write: true, create: true });
  await file.write(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  await file.truncate(2 * 1024 * 1024 * 1024); // sparse 2 GiB
  file.close();
  const r = await wasp(["run", `${dir}/huge.wasm`]);
  assertEquals(r.envelope.error_kind, "invalid_module");
  assertMatch(r.envelope.error!, /larger than the 268435456 bytes \(256 MiB\) wasp accepts/);
});

Deno.test("the policy names the module's SHA-256", async () => {
  const hello = await cGuest("hello");
  const r = await wasp(["run", hello]);
  assertEquals(r.envelope.policy?.module_sha256, sha256(await Deno.readFile(hello)));
});

Deno.test("the guest runs the bytes that were checked, even if the file changes before the run", async () => {
  const dir = await tree();
  const path = `${dir}/guest.wasm`;
  const hello = await Deno.readFile(await cGuest("hello"));
  await Deno.writeFile(path, hello);
  const policy = buildPolicy({ module: path });
  // swap the file for another module after the check: the child never re-reads the path
  await Deno.writeFile(path, await Deno.readFile(await cGuest("exit")));
  const e = await runPolicy(policy);
  assertEquals(e.status, "success");
  assertMatch(e.stdout, /^hello from wasp\n/);
  assertEquals(e.policy?.module_sha256, sha256(hello));
});

Deno.test("a FIFO swapped in after the check is refused when the module is read, without blocking", async () => {
  const dir = await tree();
  const path = `${dir}/guest.wasm`;
  await Deno.writeFile(path, await Deno.readFile(await cGuest("hello")));
  const checked = checkPolicy({ module: path });
  await Deno.remove(path);
  const made = await new Deno.Command("mkfifo", { args: [path] }).output();
  assertEquals(made.code, 0);
  // nobody opens the other end: a blocking open would never return
  let refused: unknown = null;
  try {
    readModule(checked);
  } catch (err) {
    refused = err;
  }
  assertEquals(refused instanceof WaspError && refused.kind, "invalid_module");
  assertMatch((refused as Error).message, /not a regular file|was replaced/);
});

Deno.test("run() reads the module once the child is spawned and refuses a bad one like buildPolicy", async () => {
  const dir = await tree({ "bad.wasm": "not a wasm module at all" });
  const e = await run({ module: `${dir}/bad.wasm` });
  assertEquals(e.error_kind, "invalid_module");
  assertMatch(e.error!, /bad magic header/);
  assertEquals(e.policy, null);
  let built: unknown = null;
  try {
    buildPolicy({ module: `${dir}/bad.wasm` });
  } catch (err) {
    built = err;
  }
  assertEquals((built as Error).message, e.error);
});

/**
 * Opens `fifo` for reading and writing, which never blocks on Linux and lets an open for
 * reading that blocks on it return.
 */
async function releaseFifo(fifo: string): Promise<void> {
  const both = await Deno.open(fifo, { read: true, write: true });
  both.close();
}

/**
 * A test whose module path ends up a FIFO that wasp's open blocks on. That open stays blocked
 * on a thread until the FIFO gets a writer, which the test gives it at the end (wasp closes
 * what the open then returns), so Deno's op and resource sanitizers cannot judge it.
 */
function fifoTest(name: string, fn: (path: string) => Promise<void>): void {
  Deno.test({
    name,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      const path = `${await tree()}/guest.wasm`;
      await fn(path);
      await releaseFifo(path);
    },
  });
}

/** Checks a hello module at `path`, then puts a FIFO in its place; returns the check. */
async function checkedThenFifo(path: string) {
  await Deno.writeFile(path, await Deno.readFile(await cGuest("hello")));
  const checked = checkPolicy({ module: path });
  await Deno.remove(path);
  assertEquals((await new Deno.Command("mkfifo", { args: [path] }).output()).code, 0);
  return checked;
}

/** Asserts that `pending` fails with invalid_module saying it gave up waiting. */
async function assertGaveUp(pending: Promise<unknown>): Promise<void> {
  let refused: unknown = null;
  try {
    await pending;
  } catch (err) {
    refused = err;
  }
  assertEquals(refused instanceof WaspError && refused.kind, "invalid_module");
  assertMatch((refused as Error).message, /did not open or read in time/);
}

fifoTest(
  "run() refuses a FIFO swapped in after the check, without blocking on its open",
  async (path) => {
    const e = await runPolicy(await checkedThenFifo(path));
    assertEquals(e.error_kind, "invalid_module");
    assertMatch(e.error!, /was replaced while wasp opened it/);
  },
);

fifoTest(
  "readCheckedModuleAsync() stops waiting for an open that blocks once it is told to",
  async (path) => {
    assertEquals((await new Deno.Command("mkfifo", { args: [path] }).output()).code, 0);
    // the check saw this very FIFO, so only the stop can end the wait
    const info = Deno.statSync(path);
    const stop = new AbortController();
    const reading = readCheckedModuleAsync({ path, given: path, info }, stop.signal);
    stop.abort();
    await assertGaveUp(reading);
  },
);

Deno.test("readCheckedModuleAsync() reads what the synchronous reader reads, hash included", async () => {
  const hello = await cGuest("hello");
  const checked = checkPolicy({ module: hello }).module;
  const sync = readCheckedModule(checked);
  const async = await readCheckedModuleAsync(checked);
  assertEquals(async.sha256, sync.sha256);
  assertEquals(async.bytes, sync.bytes);
  assertEquals(async.sha256, sha256(await Deno.readFile(hello)));
});

Deno.test("readCheckedModuleAsync() refuses a file replaced between the check and the open", async () => {
  const dir = await tree();
  const path = `${dir}/guest.wasm`;
  await Deno.writeFile(path, await Deno.readFile(await cGuest("hello")));
  const checked = checkPolicy({ module: path }).module;
  // another file (another inode) takes the checked one's name
  await Deno.writeFile(`${path}.new`, await Deno.readFile(await cGuest("exit")));
  await Deno.rename(`${path}.new`, path);
  let refused: unknown = null;
  try {
    await readCheckedModuleAsync(checked);
  } catch (err) {
    refused = err;
  }
  assertEquals(refused instanceof WaspError && refused.kind, "invalid_module");
  assertMatch((refused as Error).message, /was replaced while wasp opened it/);
});

Deno.test("a /proc file as the module is refused as no module, without being read", async () => {
  for (const path of ["/proc/self/mem", "/proc/self/stat"]) {
    // the CLI's own permissions do not even let it look there
    const r = await wasp(["run", path]);
    assert(["module_not_found", "invalid_module"].includes(r.envelope.error_kind!));
    // with read permission it can: the file claims a size of 0, so it is never read
    let built: unknown = null;
    try {
      buildPolicy({ module: path });
    } catch (err) {
      built = err;
    }
    assertEquals(built instanceof WaspError && built.kind, "invalid_module");
    assertMatch((built as Error).message, /bad magic header/);
  }
});

fifoTest(
  "withModuleAsync() stops waiting for a blocked open when the run is cancelled",
  async (path) => {
    const cancel = new AbortController();
    const reading = withModuleAsync(await checkedThenFifo(path), cancel.signal);
    cancel.abort();
    await assertGaveUp(reading);
  },
);

fifoTest("run() cancelled while it reads its module reports cancelled", async (path) => {
  const checked = await checkedThenFifo(path);
  const cancel = new AbortController();
  const running = runPolicy(checked, { signal: cancel.signal });
  cancel.abort();
  const e = await running;
  assertEquals(e.error_kind, "cancelled");
});

Deno.test("run() reports the hash of the bytes it ran while a host process swaps the module with another", async () => {
  const dir = await tree();
  const hello = await Deno.readFile(await cGuest("hello"));
  const other = await Deno.readFile(await cGuest("exit"));
  await Deno.writeFile(`${dir}/m.wasm`, hello);
  await Deno.writeFile(`${dir}/o.wasm`, other);
  const printed: Record<string, string> = {
    [sha256(hello)]: "hello from wasp\n",
    [sha256(other)]: "to stdout\n",
  };
  const swapper = startSwapper(await nativeSwapper(), dir, "m.wasm", "o.wasm", `${dir}/stop`);
  const kinds = new Set<string>();
  try {
    for (let i = 0; i < 30; i++) {
      const e = await run({ module: `${dir}/m.wasm` });
      kinds.add(e.error_kind ?? "success");
      if (e.status !== "success") {
        assert(["invalid_module", "module_not_found"].includes(e.error_kind!), e.error!);
        continue;
      }
      const expected = printed[e.policy!.module_sha256];
      assert(expected !== undefined, "the reported hash is neither module's");
      assertEquals(e.stdout.slice(0, expected.length), expected);
    }
  } finally {
    await Deno.writeTextFile(`${dir}/stop`, "");
    await swapper.output();
  }
  assert(kinds.has("success"));
});

fifoTest("run() never hangs while a host process swaps the module with a FIFO", async (path) => {
  const dir = path.slice(0, path.lastIndexOf("/"));
  await Deno.writeFile(`${dir}/m.wasm`, await Deno.readFile(await cGuest("hello")));
  assertEquals((await new Deno.Command("mkfifo", { args: [path] }).output()).code, 0);
  const swapper = startSwapper(await nativeSwapper(), dir, "m.wasm", "guest.wasm", `${dir}/stop`);
  try {
    for (let i = 0; i < 30; i++) {
      // a run whose open blocks on the FIFO is refused once the watch sees the FIFO there
      const e = await run({ module: `${dir}/m.wasm`, limits: { timeoutMs: 5_000 } });
      if (e.status !== "success") {
        assert(["invalid_module", "module_not_found"].includes(e.error_kind!), e.error!);
      }
    }
  } finally {
    await Deno.writeTextFile(`${dir}/stop`, "");
    await swapper.output();
  }
  // the FIFO's name is where the swapper left it: give a late open its writer under either name
  if (!(await Deno.stat(path)).isFifo) await Deno.rename(`${dir}/m.wasm`, path);
});

Deno.test("within() gives up at once when already stopped, and a read that fails later raises nothing", async () => {
  // a cancellation between two reads: the next read starts, is given up, and fails once the
  // file is closed; that failure must not reach the process as an unhandled rejection
  const stop = new AbortController();
  stop.abort();
  let fail = (_: Error) => {};
  const read = new Promise<number>((_, reject) => fail = reject);
  let refused: unknown = null;
  try {
    await within(read, "guest.wasm", stop.signal);
  } catch (err) {
    refused = err;
  }
  assertEquals(refused instanceof WaspError && refused.kind, "invalid_module");
  fail(new Deno.errors.Interrupted("operation canceled"));
  // a rejection nobody handles fails this test when the event loop next turns
  await new Promise((resolve) => setTimeout(resolve, 0));
});
