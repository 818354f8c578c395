import { assertEquals } from "./helpers/assert.ts";
import { sandbox } from "./helpers/fs_case.ts";
import { cGuest, watGuest } from "./helpers/guests.ts";
import { mcpClient } from "./helpers/mcp_client.ts";
import { schemaValidator } from "./helpers/schema.ts";
import { lines, tree, wasp } from "./helpers/wasp.ts";
import type { Envelope } from "../src/envelope.ts";
import type { WallKind } from "../src/wall/child_command.ts";
import { run } from "../mod.ts";

const PASSWD_ESCAPE = {
  call: "path_open",
  path: "/ws/../../etc/passwd",
  errno: "ENOTCAPABLE",
  rule: "outside_grant",
  reason: "the path leads outside the granted directory it starts from (.. climbs above it)",
};

/** Runs the audit guest over the standard sandbox (ws read-write, ro read-only). */
async function audit(ops: string[], extra: string[] = [], wall: WallKind = "process") {
  const box = await sandbox();
  const r = await wasp(
    [
      "run",
      await cGuest("audit"),
      "--allow-dir",
      `${box.ws}::/ws`,
      "--allow-dir-ro",
      `${box.ro}::/ro`,
      ...extra,
      "--",
      ...ops,
    ],
    { env: { WASP_WALL: wall } },
  );
  assertEquals(r.envelope.status, "success", JSON.stringify(r.envelope));
  return { box, envelope: r.envelope, out: lines(r.envelope.stdout) };
}

for (const wall of ["process", "worker", "pool"] as const) {
  Deno.test(`run() reports a C guest's open of /etc/passwd through .. as a denial (${wall} wall)`, async () => {
    const { envelope, out } = await audit(["open:/ws/../../etc/passwd"], [], wall);
    assertEquals(out, ["open err 76"]); // ENOTCAPABLE
    assertEquals(envelope.denials, [PASSWD_ESCAPE]);
    assertEquals(envelope.denials_dropped, 0);
    assertEquals(envelope.policy?.walls?.deno, wall);
  });
}

Deno.test("run() names the symlink that leads a C guest's open to /etc/passwd", async () => {
  const box = await sandbox();
  await Deno.symlink("/etc/passwd", `${box.ws}/passwd`);
  const r = await wasp([
    "run",
    await cGuest("audit"),
    "--allow-dir",
    `${box.ws}::/ws`,
    "--",
    "open:/ws/passwd",
  ]);
  assertEquals(lines(r.envelope.stdout), ["open err 76"]);
  assertEquals(r.envelope.denials, [{
    call: "path_open",
    path: "/ws/passwd",
    errno: "ENOTCAPABLE",
    rule: "outside_grant",
    reason:
      "the path leads outside the granted directory it starts from (symlink passwd -> /etc/passwd)",
  }]);
});

Deno.test('run() shows that wasi-libc refuses open("/etc/passwd") itself when no grant covers /', async () => {
  // wasi-libc finds no preopen for the path and fails with ENOTCAPABLE without calling the
  // host: there is nothing for the host to record, and the trace proves no call was made
  const { envelope, out } = await audit(["open:/etc/passwd", "openat:/ws:/etc/passwd"], [
    "--trace",
  ]);
  assertEquals(out, ["open err 76", "openat err 76"]);
  assertEquals(envelope.denials, []);
  const opens = envelope.trace!.filter((t) => t.call === "path_open").map((t) => t.args);
  assertEquals(opens.some((a) => a.includes("passwd")), false, opens.join("; "));
});

Deno.test("run() records a raw path_open of the absolute path /etc/passwd as a denial", async () => {
  // a guest that skips wasi-libc's preopen lookup hands the host the absolute path itself
  const wasm = await watGuest(
    "raw-open-passwd",
    `(module
       (import "wasi_snapshot_preview1" "path_open"
         (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
       (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
       (memory (export "memory") 1)
       (data (i32.const 16) "/etc/passwd")
       (func (export "_start")
         (call $exit (call $open (i32.const 3) (i32.const 0) (i32.const 16) (i32.const 11)
           (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 64)))))`,
  );
  const box = await sandbox();
  const r = await wasp(["run", wasm, "--allow-dir-ro", `${box.ro}::/ro`]);
  assertEquals(r.envelope.exit_code, 76); // ENOTCAPABLE
  assertEquals(r.envelope.denials, [{
    call: "path_open",
    path: "/etc/passwd",
    errno: "ENOTCAPABLE",
    rule: "outside_grant",
    reason: "the path leads outside the granted directory it starts from (absolute path)",
  }]);
});

Deno.test("run() cuts a huge escaping path short in its denial and its trace entry", async () => {
  const wasm = await watGuest(
    "huge-escape",
    `(module
       (import "wasi_snapshot_preview1" "path_open"
         (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
       (memory (export "memory") 4)
       (data (i32.const 16) "../")
       (func (export "_start")
         (memory.fill (i32.const 19) (i32.const 0x61) (i32.const 200000))
         (drop (call $open (i32.const 3) (i32.const 0) (i32.const 16) (i32.const 200003)
           (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 8)))))`,
  );
  const box = await sandbox();
  const r = await wasp(["run", wasm, "--allow-dir", `${box.ws}::/ws`, "--trace"]);
  assertEquals(r.envelope.status, "success");
  const [d] = r.envelope.denials;
  assertEquals(d.path, `/ws/../${"a".repeat(1024 - 7)}... (200007 characters)`);
  const open = r.envelope.trace!.find((t) => t.call === "path_open")!;
  assertEquals(open.args.includes(`"../${"a".repeat(253)}"... (200003 bytes)`), true, open.args);
  assertEquals(open.result, "ENOTCAPABLE");
});

Deno.test("run() records writes on a read-only grant, symlinks leading out and moving a grant root", async () => {
  const { envelope, out } = await audit([
    "write:/ro/x:y",
    "symlink:../..:/ws/up",
    "symlink:/etc:/ws/abs",
    "rename:/ws:/ws/moved",
  ]);
  assertEquals(out, ["write err 69", "symlink err 63", "symlink err 63", "rename err 10"]);
  assertEquals(envelope.denials, [
    {
      call: "path_open",
      path: "/ro/x",
      errno: "EROFS",
      rule: "read_only_grant",
      reason: "the path lies in a read-only grant",
    },
    {
      call: "path_symlink",
      path: "/ws/up",
      errno: "EPERM",
      rule: "symlink_escape",
      reason: "a symlink there could lead outside its grant (target ../..)",
    },
    {
      call: "path_symlink",
      path: "/ws/abs",
      errno: "EPERM",
      rule: "symlink_escape",
      reason: "a symlink there could lead outside its grant (absolute target /etc)",
    },
    {
      call: "path_rename",
      path: "/ws",
      errno: "EBUSY",
      rule: "grant_root",
      reason: "a grant's root (or a directory holding one) cannot be moved or removed",
    },
  ]);
});

Deno.test("run() records --symlinks deny and --max-file-size as the rules that refused", async () => {
  const { envelope, out } = await audit([
    "symlink:data.txt:/ws/ok",
    "write:/ws/big:0123456789",
    "append:/ws/big:x",
  ], [
    "--symlinks",
    "deny",
    "--max-file-size",
    "4",
  ]);
  // the first write is cut short at the limit (as RLIMIT_FSIZE does); the next one is refused
  assertEquals(out, ["symlink err 63", "write ok", "append err 22"]);
  assertEquals(envelope.denials.map((d) => [d.call, d.path, d.errno, d.rule]), [
    ["path_symlink", "/ws/ok", "EPERM", "symlinks_deny"],
    ["fd_write", "/ws/big", "EFBIG", "max_file_size"],
  ]);
});

Deno.test("run() does not count ordinary errors inside a grant as denials", async () => {
  const { envelope, out } = await audit([
    "open:/ws/missing.txt",
    "mkdir:/ws/sub",
    "rmdir:/ws/nothing",
    "open:/ro/missing",
  ]);
  assertEquals(out, ["open err 44", "mkdir err 20", "rmdir err 44", "open err 44"]);
  assertEquals(envelope.denials, []);
  assertEquals(envelope.denials_dropped, 0);
});

Deno.test("run() keeps the first 100 denials and counts the rest", async () => {
  const ops = Array.from({ length: 130 }, (_, i) => `open:/ws/../x${i}`);
  const { envelope } = await audit(ops);
  assertEquals(envelope.denials.length, 100);
  assertEquals(envelope.denials_dropped, 30);
  assertEquals(envelope.denials[99].path, "/ws/../x99");
});

Deno.test("run() records an import wasp does not provide as a denial", async () => {
  const wasm = await watGuest(
    "missing-import",
    `(module (import "env" "launch" (func)) (memory (export "memory") 1)
       (func (export "_start")))`,
  );
  const r = await wasp(["run", wasm]);
  assertEquals(r.envelope.error_kind, "invalid_module");
  assertEquals(r.envelope.denials, [{
    call: "instantiate",
    path: null,
    errno: null,
    rule: "missing_import",
    reason: "the module imports something wasp does not provide (env.launch)",
  }]);
});

Deno.test("run() records memory growth the cap refused", async () => {
  const r = await wasp(["run", await cGuest("memhog"), "--max-memory", "8mb"]);
  assertEquals(r.envelope.error_kind, "memory_limit");
  assertEquals(r.envelope.denials.length, 1);
  const [d] = r.envelope.denials;
  assertEquals([d.call, d.path, d.errno, d.rule], ["memory.grow", null, null, "memory_cap"]);
  assertEquals(
    /^the memory cap refused it \(\d+ memory\.grow requests? past 8388608 bytes\)$/
      .test(d.reason),
    true,
    d.reason,
  );
});

Deno.test("run() envelopes that never reached a guest still carry an empty denials list", async () => {
  const r = await wasp(["run", "/nonexistent/module.wasm"]);
  assertEquals(r.envelope.error_kind, "module_not_found");
  assertEquals(r.envelope.denials, []);
  assertEquals(r.envelope.denials_dropped, 0);
  assertEquals("trace" in r.envelope || "changes" in r.envelope, false);
});

Deno.test("library run() reports denials, read_only_within among them", async () => {
  const box = await sandbox();
  await Deno.mkdir(`${box.ws}/locked`);
  const e: Envelope = await run({
    module: await cGuest("audit"),
    args: ["write:/ws/locked/x:y", "open:/ws/../../etc/passwd"],
    dirs: [{ host: box.ws, guest: "/ws", access: "read-write" }],
    readOnlyPaths: [`${box.ws}/locked`],
  });
  assertEquals(lines(e.stdout), ["write err 69", "open err 76"]);
  assertEquals(e.denials, [
    {
      call: "path_open",
      path: "/ws/locked/x",
      errno: "EROFS",
      rule: "read_only_within",
      reason: "the path lies below a directory that stays read-only (read_only_within)",
    },
    PASSWD_ESCAPE,
  ]);
  assertEquals(await schemaValidator("envelope.schema.json").then((v) => v(e)), null);
});

Deno.test("mcp: wasp_run reports a guest's escape towards /etc/passwd as a denial", async () => {
  const dir = await tree({ "ws/input.txt": "x", "mods/": "" });
  await Deno.copyFile(await cGuest("audit"), `${dir}/mods/audit.wasm`);
  const client = await mcpClient(["--allow-dir", `ws=${dir}/ws`, "--module-dir", `${dir}/mods`]);
  try {
    const r = await client.callTool({
      name: "wasp_run",
      arguments: {
        module: `${dir}/mods/audit.wasm`,
        args: ["open:/ws/../../etc/passwd"],
        mounts: [{ alias: "ws", guest: "/ws" }],
      },
    });
    const e = r.structuredContent as Envelope;
    assertEquals(lines(e.stdout), ["open err 76"]);
    assertEquals(e.denials, [PASSWD_ESCAPE]);
  } finally {
    await client.close();
  }
});
