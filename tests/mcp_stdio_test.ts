/**
 * `wasp mcp` against raw JSON-RPC clients that misbehave: a client that goes away without a
 * signal, one that never reads its replies, oversized and malformed requests, reused ids.
 * None of them may hang the server, stop its timeouts, or shut it down.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { countWalledChildren as children, until } from "./helpers/processes.ts";
import { RawMcp } from "./helpers/raw_mcp.ts";
import { PARENT_FLAGS, ROOT, tree } from "./helpers/wasp.ts";

const MIB = 1024 * 1024;

/** A private module directory with the given C guests in it. */
async function modules(...guests: string[]): Promise<string> {
  const dir = await tree({ "mods/": "" });
  for (const g of guests) await Deno.copyFile(await cGuest(g), `${dir}/mods/${g}.wasm`);
  return `${dir}/mods`;
}

type Reply = Record<string, unknown> & {
  result?: { structuredContent?: Record<string, unknown>; isError?: boolean };
  error?: { code: number; message: string };
};

Deno.test("wasp mcp </dev/null exits 0 on its own", async () => {
  const server = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...PARENT_FLAGS, `${ROOT}main.ts`, "mcp"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const out = await Promise.race([
    server.output(),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("wasp mcp </dev/null did not exit")), 15_000);
    }),
  ]).finally(() => clearTimeout(timer));
  assertEquals(out.code, 0);
  assertEquals(out.stdout.length, 0);
});

Deno.test("mcp: a client that only closes stdin ends the server and its running guest", async () => {
  const mods = await modules("loop");
  const server = new RawMcp(["--module-dir", mods, "--wall", "process"]);
  try {
    await server.initialize();
    await server.call(1, "wasp_run", { module: "loop.wasm" });
    await until(async () => (await children(`${mods}/loop.wasm`)) === 1, "the walled child");
    await server.closeInput(); // no signal: the pipe just ends
    const status = await server.exited();
    assertEquals(status.code, 0);
    await until(async () => (await children(`${mods}/loop.wasm`)) === 0, "the child to go");
  } finally {
    await server.dispose();
  }
});

Deno.test("mcp: requests sent just before the end of input are still answered, then it exits", async () => {
  const server = new RawMcp([]);
  try {
    await server.initialize();
    await server.call(1, "wasp_policy", {});
    await server.call(2, "wasp_run", { module: "sample:env-report", args: "abc" });
    await server.send({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: 5 } });
    await server.closeInput();
    // read every reply until the server closes its stdout (they come in any order)
    const replies = new Map<unknown, Reply>();
    for (;;) {
      const m = await server.readMessage().catch(() => null) as Reply | null;
      if (m === null) break;
      replies.set(m.id, m);
    }
    const policy = replies.get(1);
    assertEquals(Object.keys(policy?.result?.structuredContent ?? {}).includes("aliases"), true);
    assertEquals(replies.get(2)?.result?.structuredContent?.error_kind, "invalid_argument");
    const shape = replies.get(3);
    assertEquals(shape?.error?.code, -32602); // invalid params, in one line, not "internal"
    assertMatch(shape!.error!.message, /^tools\/call: params\.name: [^\n]*expected string/);
    assertEquals((await server.exited()).code, 0);
  } finally {
    await server.dispose();
  }
});

Deno.test("mcp: a client that never reads its replies cannot stop timeouts or orphan a guest", async () => {
  const mods = await modules("loop", "flood");
  const loop = `${mods}/loop.wasm`;
  const server = new RawMcp(["--module-dir", mods, "--max-output", "8mb", "--wall", "process"]);
  try {
    await server.initialize();
    // an 8 MiB reply fills the pipe (64 KiB) that this client never reads from
    await server.call(1, "wasp_run", { module: "flood.wasm", args: [String(8 * MIB)] });
    await server.call(2, "wasp_run", { module: "loop.wasm", timeout_ms: 3000 });
    await until(async () => (await children(loop)) === 1, "the spinning child");
    await until(async () => (await children(loop)) === 0, "the 3 s timeout to kill it", 20_000);
    // a guest whose server dies by SIGKILL while its replies are stuck is not left orphaned
    await server.call(3, "wasp_run", { module: "loop.wasm", timeout_ms: 20_000 });
    await until(async () => (await children(loop)) === 1, "the second spinning child");
    // the replies were queued, not lost
    const flood = await server.response(1) as Reply;
    assertEquals(flood.result?.structuredContent?.status, "success");
    assertEquals((flood.result?.structuredContent?.stdout as string).length, 8 * MIB);
    const spin = await server.response(2) as Reply;
    assertEquals(spin.result?.structuredContent?.error_kind, "timeout");
    server.process.kill("SIGKILL");
    await server.process.status;
    await until(async () => (await children(loop)) === 0, "the orphaned child to be reaped");
  } finally {
    await server.dispose();
  }
});

Deno.test("mcp: requests over 10 MiB and malformed lines get error replies; the server serves on", async () => {
  const server = new RawMcp([]);
  try {
    await server.initialize();
    const huge = "a".repeat(12 * MIB);
    // the id comes last: the server finds it while skipping the request
    await server.write(
      `{"jsonrpc":"2.0","method":"tools/call","params":{"name":"wasp_run","arguments":{"module":"sample:env-report","stdin":"${huge}"}},"id":77}\n`,
    );
    const big = await server.readMessage() as Reply;
    assertEquals(big.id, 77);
    assertEquals(big.error?.code, -32600);
    assertMatch(big.error!.message, /larger than this server's limit of 10485760 bytes/);
    await server.write(`{"jsonrpc":"2.0","id":"s","method":"tools/call","params":${huge}\n`);
    assertEquals((await server.readMessage() as Reply).id, "s");
    await server.write("{not json\n");
    const bad = await server.readMessage() as Reply;
    assertEquals([bad.id, bad.error?.code], [null, -32700]);
    await server.send({ hello: "world" });
    assertEquals((await server.readMessage() as Reply).error?.code, -32600);
    await server.call(78, "wasp_run", { module: "sample:env-report" });
    const ok = await server.response(78) as Reply;
    assertEquals(ok.result?.structuredContent?.status, "success");
  } finally {
    await server.dispose();
  }
});

Deno.test("mcp: a request reusing the id of one still running is refused, not run", async () => {
  const mods = await modules("loop");
  const server = new RawMcp(["--module-dir", mods, "--wall", "process"]);
  try {
    await server.initialize();
    // long enough to still run when the second request arrives, even on a loaded machine
    await server.call(5, "wasp_run", { module: "loop.wasm", timeout_ms: 6000 });
    await until(async () => (await children(`${mods}/loop.wasm`)) === 1, "the walled child");
    await server.call(5, "wasp_run", { module: "sample:env-report" });
    const refused = await server.response(5) as Reply;
    assertEquals(refused.error?.code, -32600);
    assertMatch(refused.error!.message, /request id 5 is already in use/);
    const first = await server.response(5) as Reply;
    assertEquals(first.result?.structuredContent?.error_kind, "timeout");
    // once answered, the id is free again
    await server.call(5, "wasp_run", { module: "sample:env-report" });
    const again = await server.response(5) as Reply;
    assertEquals(again.result?.structuredContent?.status, "success");
    assert(again.result?.isError === false);
  } finally {
    await server.dispose();
  }
});
