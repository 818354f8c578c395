import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest, watGuest } from "./helpers/guests.ts";
import { tree } from "./helpers/wasp.ts";
import { parseByteSize, parseMillis } from "../src/limits.ts";
import { parseDirSpec } from "../src/cli/run_args.ts";
import { parseEnvSpec } from "../src/cli/common_args.ts";
import { absolute, buildPolicy } from "../src/policy.ts";
import { capMemory, PAGE } from "../src/engine/wasm_memory.ts";
import { WaspError } from "../src/envelope.ts";

function kindOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof WaspError ? err.kind : "other";
  }
}

Deno.test("parseByteSize accepts bytes and binary units, refuses the rest", () => {
  assertEquals(parseByteSize("1048576", "x"), 1048576);
  assertEquals(parseByteSize("64kb", "x"), 65536);
  assertEquals(parseByteSize("512MB", "x"), 512 * 1024 * 1024);
  assertEquals(parseByteSize("1gib", "x"), 1024 ** 3);
  assertEquals(parseByteSize(" 2 m ", "x"), 2 * 1024 * 1024);
  for (const bad of ["", "lots", "-1", "1.5mb", "0", "10tb", "mb"]) {
    assertEquals(kindOf(() => parseByteSize(bad, "x")), "invalid_argument", bad);
  }
});

Deno.test("parseMillis accepts whole numbers including 0", () => {
  assertEquals(parseMillis("0", "t"), 0);
  assertEquals(parseMillis("1500", "t"), 1500);
  for (const bad of ["", "1.5", "-1", "soon", "1e3"]) {
    assertEquals(kindOf(() => parseMillis(bad, "t")), "invalid_argument", bad);
  }
});

Deno.test("grant and env specs split on the first separator", () => {
  assertEquals(parseDirSpec("ws", "read-write"), { host: "ws", access: "read-write" });
  assertEquals(parseDirSpec("a::/b::c", "read-only"), {
    host: "a",
    guest: "/b::c",
    access: "read-only",
  });
  assertEquals(kindOf(() => parseDirSpec("::/x", "read-only")), "invalid_argument");
  assertEquals(kindOf(() => parseDirSpec("x::", "read-only")), "invalid_argument");
  assertEquals(parseEnvSpec("K=a=b"), ["K", "a=b"]);
  assertEquals(parseEnvSpec("K="), ["K", ""]);
  assertEquals(kindOf(() => parseEnvSpec("=v")), "invalid_argument");
});

Deno.test("absolute() resolves against a base without touching the disk", () => {
  assertEquals(absolute("a/../b/./c", "/base/dir"), "/base/dir/b/c");
  assertEquals(absolute("/abs/path", "/base"), "/abs/path");
  assertEquals(absolute("../../..", "/a"), "/");
});

Deno.test("buildPolicy canonicalises grants, keeps the first position of a repeated env key", async () => {
  const dir = await tree({ "real/": "" });
  await Deno.symlink(`${dir}/real`, `${dir}/link`);
  const p = buildPolicy({
    module: await cGuest("hello"),
    dirs: [{ host: `${dir}/link/`, access: "read-only" }],
    env: [["A", "1"], ["B", "2"], ["A", "3"]],
  });
  assertEquals(p.dirs, [{ host: `${dir}/real`, guest: `${dir}/link`, access: "read-only" }]);
  assertEquals(p.env, [["A", "3"], ["B", "2"]]);
  assertEquals(p.engine, "wasp");
});

Deno.test("capMemory lowers the declared maximum to the cap and refuses a larger minimum", async () => {
  const m = await watGuest(
    "cap-unit",
    `(module (memory (export "memory") 2 100) (func (export "_start")))`,
  );
  const bytes = await Deno.readFile(m);
  const plan = capMemory(bytes, 10 * PAGE);
  assertEquals(plan.ok, true);
  if (plan.ok) {
    const mem = new WebAssembly.Instance(new WebAssembly.Module(plan.bytes as BufferSource))
      .exports.memory as WebAssembly.Memory;
    assertEquals(mem.grow(8), 2);
    let refused = false;
    try {
      mem.grow(1);
    } catch {
      refused = true;
    }
    assertEquals(refused, true);
  }
  const refused = capMemory(bytes, PAGE);
  assertEquals(refused.ok ? null : refused.outcome.kind, "failure");
  assertMatch(refused.ok ? "" : JSON.stringify(refused.outcome), /131072 bytes of initial memory/);
});
