/**
 * `wasp serve` holds no more requests in memory than its slots can soon take: further lines
 * stay unread in its input until a request is answered. And a request's stdin is capped.
 */
import { until } from "./helpers/processes.ts";
import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { exists, tree } from "./helpers/wasp.ts";
import { mcpSession } from "./helpers/raw_mcp.ts";
import { serve } from "./helpers/serve.ts";

Deno.test("wasp serve reads no further request line while its slots and queue are full", async () => {
  const dir = await tree({ "ws/": "", "mods/": "" });
  await Deno.copyFile(await cGuest("wait_file"), `${dir}/mods/wait.wasm`);
  await Deno.copyFile(await cGuest("hello"), `${dir}/mods/hello.wasm`);
  const hold = {
    kind: "wasm-run",
    module: `${dir}/mods/wait.wasm`,
    allow_dirs: [{ path: `${dir}/ws`, guest: "/ws", access: "read-write" }],
    args: ["/ws/started", "/ws/go"],
  };
  const { code, answers } = await serve(
    ["--allow-dir", `ws=${dir}/ws`, "--module-dir", `${dir}/mods`, "--max-concurrency", "1"],
    [
      { id: "holder", ...hold },
      { id: "queued", kind: "wasm-run", module: `${dir}/mods/hello.wasm` },
      // answered at once when read; with one slot and one request queued, it is not read yet
      "not json",
    ],
    {
      before: async () => {
        await until(() => exists(`${dir}/ws/started`), "the guest to start");
        await Deno.writeTextFile(`${dir}/ws/go`, "");
      },
    },
  );
  assertEquals(code, 0);
  assertEquals(answers.map((a) => a.id), ["holder", null, "queued"]);
  assertEquals(answers[0].stdout, "go\n");
  assertEquals(answers[1].error_kind, "invalid_manifest");
});

Deno.test("wasp serve refuses a request whose stdin cap is above the server's", async () => {
  const dir = await tree({ "mods/": "" });
  await Deno.copyFile(await cGuest("hello"), `${dir}/mods/hello.wasm`);
  const { answers } = await serve(["--module-dir", `${dir}/mods`], [
    {
      id: 1,
      kind: "wasm-run",
      module: `${dir}/mods/hello.wasm`,
      limits: { max_stdin_bytes: 1024 * 1024 * 1024 },
    },
  ]);
  assertEquals(answers[0].error_kind, "policy_error");
  assertMatch(answers[0].error!, /max stdin 1073741824 is above this server's limit/);
});

/** `n` as an unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

/** Writes hello.wasm padded by a custom section to 33 MiB (a valid module) to `path`. */
async function bigModule(path: string): Promise<void> {
  const hello = await Deno.readFile(await cGuest("hello"));
  const body = new Uint8Array(4 + 33 * 1024 * 1024);
  body.set([3, ...new TextEncoder().encode("pad")]);
  const head = [...hello, 0, ...leb(body.length)];
  const big = new Uint8Array(head.length + body.length);
  big.set(head);
  big.set(body, head.length);
  await Deno.writeFile(path, big);
}

Deno.test("wasp mcp (pool) refuses a module above the server's size limit", async () => {
  const dir = await tree({ "mods/": "" });
  await bigModule(`${dir}/mods/big.wasm`);
  const messages = await mcpSession(["--module-dir", `${dir}/mods`], [{ module: "big.wasm" }]);
  const reply = messages.find((m) => m.id === 1);
  assertMatch(JSON.stringify(reply), /above this server's limit of 33554432/);
});

Deno.test("wasp serve refuses a module above its size limit before compiling it", async () => {
  const dir = await tree({ "mods/": "" });
  await bigModule(`${dir}/mods/big.wasm`);
  const { answers } = await serve(["--module-dir", `${dir}/mods`], [
    { id: 1, kind: "wasm-run", module: `${dir}/mods/big.wasm` },
  ]);
  assertEquals(answers[0].error_kind, "policy_error");
  assertMatch(answers[0].error!, /above this server's limit of 33554432; run it with wasp run/);
});
