/**
 * The warm pool (src/pool/): single-use Workers walled per permission set in the calling
 * process. What a pool run must do like a walled process — stop a guest at its timeout
 * wherever it is, cancel, keep runs apart — and what only a pool has to get right: threads
 * that share one process must not share a working directory.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest, watGuest } from "./helpers/guests.ts";
import { lines, tree, withDeadline } from "./helpers/wasp.ts";
import { createPool, type Pool } from "../src/pool/pool.ts";

/** A guest that asks poll_oneoff to sleep for an hour on the monotonic clock. */
const SLEEP_WAT = `(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 300) "sleeping\\n")
  (func (export "_start")
    (i32.store (i32.const 400) (i32.const 300))
    (i32.store (i32.const 404) (i32.const 9))
    (drop (call $write (i32.const 1) (i32.const 400) (i32.const 1) (i32.const 408)))
    ;; one subscription at 0: userdata 0, tag 0 (clock), clock id 1 (monotonic), 3600 s
    (i32.store8 (i32.const 8) (i32.const 0))
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (i64.const 3600000000000))
    (drop (call $poll (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 200)))))`;

async function withPool(fn: (pool: Pool) => Promise<void>): Promise<void> {
  const pool = createPool({ size: 1 });
  try {
    await withDeadline(fn(pool), "the pool test");
  } finally {
    pool.close();
  }
}

Deno.test("pool.run() runs a guest in a pre-walled Worker and names the pool wall", async () => {
  await withPool(async (pool) => {
    await pool.warmed();
    const e = await pool.run({ module: await cGuest("hello") });
    assertEquals(e.status, "success", e.error ?? "");
    assertMatch(e.stdout, /hello from wasp/);
    assertEquals(e.policy?.walls?.deno, "pool");
    assert(pool.stats().warmHits >= 1, JSON.stringify(pool.stats()));
  });
});

Deno.test("pool.run() stops a guest spinning in a tight wasm loop at its timeout, keeping its output", async () => {
  await withPool(async (pool) => {
    const e = await pool.run({ module: await cGuest("loop"), limits: { timeoutMs: 400 } });
    assertEquals(e.error_kind, "timeout", e.error ?? "");
    assertEquals(e.stdout, "started\n");
  });
});

Deno.test("pool.run() stops a guest blocked in poll_oneoff at its timeout", async () => {
  await withPool(async (pool) => {
    const e = await pool.run({
      module: await watGuest("pool-sleep", SLEEP_WAT),
      // long enough for a loaded machine to reach the guest's first write: it must be kept
      limits: { timeoutMs: 3000 },
    });
    assertEquals(e.error_kind, "timeout", e.error ?? "");
    assertEquals(e.stdout, "sleeping\n");
  });
});

Deno.test("pool.run() is cancelled by its AbortSignal while the guest spins", async () => {
  await withPool(async (pool) => {
    const controller = new AbortController();
    const pending = pool.run({ module: await cGuest("loop"), limits: { timeoutMs: 0 } }, {
      signal: controller.signal,
      onOutput: () => controller.abort(),
    });
    const e = await pending;
    assertEquals(e.error_kind, "cancelled", e.error ?? "");
  });
});

Deno.test("pool runs keep their own working directory: concurrent runs pinning different directories, and the process's own", async () => {
  const cwd = Deno.cwd();
  const a = await tree({ "sub/deep/f": "A" });
  const b = await tree({ "sub/deep/f": "B" });
  const ops = (tag: string) =>
    Array.from({ length: 300 }, (_, i) => [
      `write:/ws/sub/deep/${tag}${i}:${tag}`,
      `read:/ws/sub/deep/f`,
    ]).flat();
  await withPool(async (pool) => {
    const fsops = await cGuest("fsops");
    const [ea, eb] = await Promise.all([
      pool.run({
        module: fsops,
        args: ops("a"),
        dirs: [{ host: a, guest: "/ws", access: "read-write" }],
      }),
      pool.run({
        module: fsops,
        args: ops("b"),
        dirs: [{ host: b, guest: "/ws", access: "read-write" }],
      }),
    ]);
    for (const [e, mine] of [[ea, "A"], [eb, "B"]] as const) {
      assertEquals(e.status, "success", e.error ?? "");
      const out = lines(e.stdout);
      assertEquals(out.length, 600);
      assert(out.every((l, i) => l === (i % 2 === 0 ? "write ok" : `read ok ${mine}`)), e.stdout);
    }
  });
  assertEquals(Deno.cwd(), cwd, "a pool Worker moved the process's working directory");
  const names = (dir: string) => [...Deno.readDirSync(`${dir}/sub/deep`)].map((e) => e.name);
  assertEquals(names(a).filter((n) => n.startsWith("b")), []);
  assertEquals(names(b).filter((n) => n.startsWith("a")), []);
  assertEquals(names(a).length, 301);
});

Deno.test("pool runs see nothing of earlier runs: env, output and files opened are their own", async () => {
  await withPool(async (pool) => {
    const env = await cGuest("env");
    const first = await pool.run({ module: env, env: [["SECRET_OF_RUN_1", "x"]] });
    assertMatch(first.stdout, /SECRET_OF_RUN_1/);
    const second = await pool.run({ module: env });
    assertEquals(second.status, "success", second.error ?? "");
    assert(!second.stdout.includes("SECRET_OF_RUN_1"), second.stdout);
  });
});

Deno.test("pool caches compiled modules by content, never by path: a module replaced on disk runs its new bytes", async () => {
  const dir = await tree();
  const path = `${dir}/m.wasm`;
  await Deno.copyFile(await cGuest("hello"), path);
  await withPool(async (pool) => {
    const one = await pool.run({ module: path });
    assertMatch(one.stdout, /hello from wasp/);
    await Deno.copyFile(await cGuest("exit"), path);
    const two = await pool.run({ module: path, args: ["7"] });
    assert(!two.stdout.includes("hello from wasp"), two.stdout);
    assert(one.policy?.module_sha256 !== two.policy?.module_sha256);
    assertEquals(pool.stats().modules, 2);
  });
});

Deno.test("pool.run() creates guest symlinks through the broker and refuses ones that lead out", async () => {
  const dir = await tree({ "data.txt": "d" });
  await withPool(async (pool) => {
    const e = await pool.run({
      module: await cGuest("fsops"),
      args: ["symlink:data.txt:/ws/good", "symlink:../..:/ws/bad", "read:/ws/good"],
      dirs: [{ host: dir, guest: "/ws", access: "read-write" }],
    });
    assertEquals(lines(e.stdout), ["symlink ok", "symlink err EPERM", "read ok d"]);
    assertEquals(await Deno.readLink(`${dir}/good`), "data.txt");
  });
});

Deno.test("a pool with a ceiling refuses runs that reach past it", async () => {
  const inside = await tree({ "x/f": "f" });
  const outside = await tree();
  const pool = createPool({
    size: 0,
    ceiling: { dirs: [{ host: inside, access: "read-only" }], moduleDirs: [], maxTimeoutMs: 5000 },
  });
  try {
    const hello = await cGuest("hello");
    const notModule = await pool.run({ module: hello });
    assertEquals(notModule.error_kind, "policy_error");
    await Deno.copyFile(hello, `${inside}/hello.wasm`);
    const ok = await pool.run({
      module: `${inside}/hello.wasm`,
      dirs: [{ host: `${inside}/x`, access: "read-only" }],
      limits: { timeoutMs: 5000 },
    });
    assertEquals(ok.status, "success", ok.error ?? "");
    const rw = await pool.run({
      module: `${inside}/hello.wasm`,
      dirs: [{ host: inside, access: "read-write" }],
      limits: { timeoutMs: 5000 },
    });
    assertEquals(rw.error_kind, "policy_error");
    const out = await pool.run({
      module: `${inside}/hello.wasm`,
      dirs: [{ host: outside, access: "read-only" }],
      limits: { timeoutMs: 5000 },
    });
    assertEquals(out.error_kind, "policy_error");
    const long = await pool.run({ module: `${inside}/hello.wasm`, limits: { timeoutMs: 0 } });
    assertEquals(long.error_kind, "policy_error");
  } finally {
    pool.close();
  }
});
