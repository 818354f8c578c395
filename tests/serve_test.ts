/**
 * `wasp serve`: JSON-lines requests in, one envelope per line out (the request's id first),
 * answered as runs finish, from a warm pool in a serving process walled to its ceiling; it
 * exits cleanly at the end of its input.
 */
import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { tree } from "./helpers/wasp.ts";
import { serve } from "./helpers/serve.ts";

async function ceilingTree() {
  const dir = await tree({ "ws/in.txt": "served input", "mods/": "", "outside/s": "secret" });
  for (const g of ["hello", "loop", "fsops"]) {
    await Deno.copyFile(await cGuest(g), `${dir}/mods/${g}.wasm`);
  }
  return dir;
}

Deno.test("wasp serve answers each request with its id, as runs finish (out of order)", async () => {
  const dir = await ceilingTree();
  const { code, answers } = await serve(
    ["--allow-dir", `ws=${dir}/ws`, "--module-dir", `${dir}/mods`, "--max-concurrency", "2"],
    [
      {
        id: "slow",
        kind: "wasm-run",
        module: `${dir}/mods/loop.wasm`,
        limits: { timeout_ms: 3000 },
      },
      {
        id: 2,
        kind: "wasm-run",
        module: `${dir}/mods/fsops.wasm`,
        args: ["read:/ws/in.txt"],
        allow_dirs: [{ path: `${dir}/ws`, guest: "/ws", access: "read-only" }],
      },
    ],
  );
  assertEquals(code, 0);
  assertEquals(answers.map((a) => a.id), [2, "slow"]);
  assertEquals(answers[0].stdout, "read ok served input\n");
  assertEquals(answers[0].policy?.walls?.deno, "pool");
  assertEquals(answers[1].error_kind, "timeout");
  assertEquals(answers[1].stdout, "started\n");
});

Deno.test("wasp serve refuses requests that reach outside its ceiling, and bad lines, without stopping", async () => {
  const dir = await ceilingTree();
  const { code, answers } = await serve(
    ["--allow-dir", `ws=${dir}/ws:ro`, "--module-dir", `${dir}/mods`, "--max-timeout", "5000"],
    [
      {
        id: "rw",
        kind: "wasm-run",
        module: `${dir}/mods/hello.wasm`,
        allow_dirs: [{ path: `${dir}/ws`, access: "read-write" }],
      },
      {
        id: "outside",
        kind: "wasm-run",
        module: `${dir}/mods/hello.wasm`,
        allow_dirs: [{ path: `${dir}/outside`, access: "read-only" }],
      },
      {
        id: "stdin",
        kind: "wasm-run",
        module: `${dir}/mods/hello.wasm`,
        stdin: `${dir}/outside/s`,
      },
      { id: "long", kind: "wasm-run", module: `${dir}/mods/hello.wasm`, limits: { timeout_ms: 0 } },
      { id: "env", kind: "wasm-run", module: `${dir}/mods/hello.wasm`, env: { HOME: "/x" } },
      "not json",
      { id: "ok", kind: "wasm-run", module: `${dir}/mods/hello.wasm` },
    ],
  );
  assertEquals(code, 0);
  const byId = new Map(answers.map((a) => [a.id, a]));
  for (const id of ["rw", "outside", "long", "env"]) {
    assertEquals(byId.get(id)?.error_kind, "policy_error", `${id}: ${byId.get(id)?.error}`);
  }
  assertEquals(byId.get("stdin")?.error_kind, "policy_error");
  assertEquals(byId.get(null)?.error_kind, "invalid_manifest");
  assertMatch(byId.get("ok")?.stdout ?? "", /hello from wasp/);
});

Deno.test("wasp serve runs Python code and samples", async () => {
  const { code, answers } = await serve([], [
    { id: "py", kind: "python", code: "print(6 * 7)" },
    { id: "sample", kind: "sample", sample: "env-report", env: {} },
  ]);
  assertEquals(code, 0);
  const byId = new Map(answers.map((a) => [a.id, a]));
  assertEquals(byId.get("py")?.stdout, "42\n", byId.get("py")?.error ?? "");
  assertEquals(byId.get("py")?.policy?.walls?.deno, "pool");
  assertEquals(byId.get("sample")?.status, "success", byId.get("sample")?.error ?? "");
});

Deno.test("wasp serve with no input exits at once with status 0 and prints nothing", async () => {
  const { code, answers } = await serve([], []);
  assertEquals(code, 0);
  assertEquals(answers, []);
});
