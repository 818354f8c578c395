/**
 * `wasp serve`'s ceiling holds for every run a request can make: whatever the engine, with
 * `..` in its paths, and for read-only directories nested in read-write ones.
 */
import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { tree } from "./helpers/wasp.ts";
import { serve } from "./helpers/serve.ts";
import { Pool } from "../src/pool/pool.ts";
import { run } from "../src/run.ts";

async function lab() {
  const dir = await tree({
    "ceil/x": "original",
    "ceil/inner_ro/data.txt": "original",
    "ro/data.txt": "original",
    "mods/victim.txt": "original",
  });
  await Deno.copyFile(await cGuest("fsops"), `${dir}/mods/fsops.wasm`);
  return dir;
}

function flags(dir: string): string[] {
  return [
    "--allow-dir",
    `ceil=${dir}/ceil`,
    "--allow-dir",
    `ro=${dir}/ro:ro`,
    "--allow-dir",
    `inner=${dir}/ceil/inner_ro:ro`,
    "--module-dir",
    `${dir}/mods`,
    "--max-timeout",
    "60000",
    "--max-memory",
    "64mb",
    "--max-output",
    "1kb",
  ];
}

Deno.test("wasp serve checks wasmer-engine requests against its ceiling", async () => {
  const dir = await lab();
  const module = `${dir}/mods/fsops.wasm`;
  const ceil = { path: `${dir}/ceil`, guest: "/workspace/d", access: "read-only" };
  const base = { kind: "wasm-run", engine: "wasmer", module, args: ["read:/workspace/d/x"] };
  const { code, answers } = await serve(flags(dir), [
    {
      ...base,
      id: "rw-on-ro",
      allow_dirs: [{ path: `${dir}/ro`, guest: "/workspace/d", access: "read-write" }],
      args: ["write:/workspace/d/data.txt:PWNED"],
    },
    {
      ...base,
      id: "dotdot",
      allow_dirs: [{ path: `${dir}/ceil/../mods`, guest: "/workspace/d", access: "read-write" }],
      args: ["write:/workspace/d/victim.txt:PWNED"],
    },
    { ...base, id: "env", allow_dirs: [ceil], env: { NOT_ALLOWED: "yes" } },
    { ...base, id: "timeout", allow_dirs: [ceil], limits: { timeout_ms: 0 } },
    { ...base, id: "memory", allow_dirs: [ceil], limits: { max_memory_bytes: 4294967296 } },
    { ...base, id: "output", allow_dirs: [ceil], limits: { max_output_bytes: 67108864 } },
  ]);
  assertEquals(code, 0);
  const byId = new Map(answers.map((a) => [a.id, a]));
  for (const id of ["rw-on-ro", "dotdot", "env", "timeout", "memory", "output"]) {
    assertEquals(byId.get(id)?.error_kind, "policy_error", id);
    assertEquals(byId.get(id)?.stdout, "", id);
  }
  assertMatch(byId.get("env")!.error!, /env key NOT_ALLOWED is not allowed/);
  assertMatch(byId.get("timeout")!.error!, /above this server's --max-timeout/);
  assertEquals(await Deno.readTextFile(`${dir}/ro/data.txt`), "original");
  assertEquals(await Deno.readTextFile(`${dir}/mods/victim.txt`), "original");
});

Deno.test("wasp serve keeps a read-only directory nested in a granted read-write one read-only", async () => {
  const dir = await lab();
  const module = `${dir}/mods/fsops.wasm`;
  const { code, answers } = await serve(flags(dir), [
    {
      id: "outer",
      kind: "wasm-run",
      module,
      allow_dirs: [{ path: `${dir}/ceil`, guest: "/c", access: "read-write" }],
      args: ["write:/c/inner_ro/data.txt:PWNED", "write:/c/x:changed"],
    },
    {
      id: "inner",
      kind: "wasm-run",
      module,
      allow_dirs: [{ path: `${dir}/ceil/inner_ro`, guest: "/c", access: "read-write" }],
      args: ["write:/c/data.txt:PWNED"],
    },
  ]);
  assertEquals(code, 0);
  const byId = new Map(answers.map((a) => [a.id, a]));
  assertMatch(byId.get("outer")!.stdout, /^write err E\w+\nwrite ok\n$/);
  assertEquals(byId.get("inner")?.error_kind, "policy_error");
  assertEquals(await Deno.readTextFile(`${dir}/ceil/inner_ro/data.txt`), "original");
  assertEquals(await Deno.readTextFile(`${dir}/ceil/x`), "changed");
});

Deno.test("run() with a pool that has a ceiling refuses a wasmer-engine run beyond it", async () => {
  const dir = await lab();
  const pool = new Pool({
    size: 0,
    ceiling: { dirs: [{ host: await Deno.realPath(`${dir}/ro`), access: "read-only" }] },
  });
  try {
    const envelope = await run({
      module: `${dir}/mods/fsops.wasm`,
      engine: "wasmer",
      dirs: [{ host: `${dir}/ro`, guest: "/workspace/d", access: "read-write" }],
      args: ["write:/workspace/d/data.txt:PWNED"],
    }, { pool });
    assertEquals(envelope.error_kind, "policy_error");
    assertMatch(envelope.error!, /not inside a read-write directory/);
    assertEquals(await Deno.readTextFile(`${dir}/ro/data.txt`), "original");
  } finally {
    pool.close();
  }
});

Deno.test("wasp serve checks a sample's workspace against its ceiling", async () => {
  const dir = await lab();
  const { answers } = await serve(flags(dir), [
    { id: "mods", kind: "sample", sample: "env-report", workspace: `${dir}/mods` },
    { id: "ro", kind: "sample", sample: "env-report", workspace: `${dir}/ro` },
  ]);
  const byId = new Map(answers.map((a) => [a.id, a]));
  assertEquals(byId.get("mods")?.error_kind, "policy_error");
  assertEquals(byId.get("ro")?.error_kind, "policy_error");
  assertMatch(byId.get("ro")!.error!, /not inside a read-write directory/);
});
