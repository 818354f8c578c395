import { assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { sandbox } from "./helpers/fs_case.ts";
import { buildPolicy } from "../src/policy.ts";
import {
  childCommand,
  kernelPlan,
  permissionPaths,
  spawnChild,
  type WallKind,
} from "../src/wall/child_command.ts";
import { treeLockPath } from "../src/wall/tree_lock.ts";

type Attempt = { name: string; op: string; path?: string; path2?: string };

/** Spawns the walled child exactly as wasp does, but running the probe instead of an engine. */
async function probe(
  dirs: Parameters<typeof buildPolicy>[0]["dirs"],
  attempts: Attempt[],
  wall: WallKind = "process",
) {
  const policy = buildPolicy({ module: await cGuest("hello"), dirs });
  const cmd = childCommand(policy, {
    entry: new URL("./fixtures/wall_probe.ts", import.meta.url),
    wall,
  });
  const child = spawnChild(cmd);
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(JSON.stringify(attempts)));
  await w.close();
  const out = await child.output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return JSON.parse(text) as Record<string, string>;
}

for (const wall of ["process", "worker"] as const) {
  Deno.test(`wall 2 (${wall} wall) alone denies every literal path a §6 escape would reach`, async () => {
    Deno.env.set("WASP_TEST_SECRET", "hunter2");
    const box = await sandbox();
    await Deno.mkdir(`${box.root}/ws2`);
    await Deno.symlink("../secret/s.txt", `${box.ws}/leak`);
    await Deno.symlink("../secret", `${box.ws}/door`);
    const report = await probe([
      { host: box.ws, access: "read-write" },
      { host: `${box.root}/ws2`, access: "read-write" },
      { host: box.ro, access: "read-only" },
    ], [
      { name: "read .. at grant root", op: "read", path: `${box.ws}/../secret/s.txt` },
      { name: "read .. mid-path", op: "read", path: `${box.ws}/sub/../../secret/s.txt` },
      { name: "read absolute outside", op: "read", path: "/etc/passwd" },
      { name: "write absolute outside", op: "write", path: `${box.root}/escape.txt` },
      { name: "read symlink target", op: "read", path: `${box.secret}/s.txt` },
      { name: "list outside dir", op: "readdir", path: box.secret },
      { name: "create dangling target", op: "write", path: `${box.secret}/planted.txt` },
      { name: "create symlink", op: "symlink", path: "..", path2: `${box.ws}/up` },
      { name: "hard link ro into rw", op: "link", path: `${box.ro}/r.txt`, path2: `${box.ws}/h` },
      { name: "rename ro into rw", op: "rename", path: `${box.ro}/r.txt`, path2: `${box.ws}/m` },
      { name: "write ro file", op: "write", path: `${box.ro}/r.txt` },
      { name: "create in ro", op: "write", path: `${box.ro}/new.txt` },
      { name: "mkdir in ro", op: "mkdir", path: `${box.ro}/d` },
      { name: "remove in ro", op: "remove", path: `${box.ro}/r.txt` },
      { name: "truncate ro", op: "truncate", path: `${box.ro}/r.txt` },
      { name: "utime ro", op: "utime", path: `${box.ro}/r.txt` },
      { name: "env", op: "env" },
      { name: "run", op: "run" },
      { name: "net", op: "net" },
      { name: "fetch", op: "fetch" },
      { name: "ffi", op: "ffi" },
      { name: "sys", op: "sys" },
      // controls: what the grants do allow
      { name: "read inside rw", op: "read", path: `${box.ws}/data.txt` },
      { name: "write inside rw", op: "write", path: `${box.ws}/new.txt` },
      { name: "read inside ro", op: "read", path: `${box.ro}/r.txt` },
      {
        name: "rename across rw",
        op: "rename",
        path: `${box.ws}/new.txt`,
        path2: `${box.root}/ws2/n`,
      },
      // the documented limit: Deno checks the path as written, so only wall 1 stops this
      { name: "read through symlink", op: "read", path: `${box.ws}/leak` },
      // the same limit for writes: a directory swapped for a symlink (tests/guests/stale_dir.c)
      { name: "mkdir through symlink", op: "mkdir", path: `${box.ws}/door/made` },
    ], wall);
    const allowed = new Set([
      "read inside rw",
      "write inside rw",
      "read inside ro",
      "rename across rw",
      "read through symlink",
      "mkdir through symlink",
    ]);
    for (const [name, verdict] of Object.entries(report)) {
      assertEquals(verdict, allowed.has(name) ? "allowed" : "denied", name);
    }
    assertEquals(Object.keys(report).length, 28);
    assertEquals(await Deno.readTextFile(`${box.ro}/r.txt`), "read only");
  });
}

// Process wall only: Worker permissions take allow-lists and cannot deny a nested path, so
// under the worker wall this case rests on wall 1 alone (tests/read_only_test.ts).
Deno.test("wall 2 keeps a read-only grant nested in a read-write grant read-only", async () => {
  const box = await sandbox();
  await Deno.mkdir(`${box.ws}/frozen`);
  await Deno.writeTextFile(`${box.ws}/frozen/f.txt`, "frozen");
  const report = await probe([
    { host: box.ws, access: "read-write" },
    { host: `${box.ws}/frozen`, access: "read-only" },
  ], [
    { name: "write nested ro", op: "write", path: `${box.ws}/frozen/f.txt` },
    { name: "remove nested ro", op: "remove", path: `${box.ws}/frozen/f.txt` },
    { name: "write rw", op: "write", path: `${box.ws}/free.txt` },
  ]);
  assertEquals(report, {
    "write nested ro": "denied",
    "remove nested ro": "denied",
    "write rw": "allowed",
  });
});

Deno.test("wall 2 flags: exact grants, every other capability denied, env cleared", async () => {
  const box = await sandbox();
  const policy = buildPolicy({
    module: await cGuest("hello"),
    dirs: [{ host: box.ws, access: "read-write" }, { host: box.ro, access: "read-only" }],
  });
  const libc = kernelPlan().libc;
  const cmd = childCommand(policy, { wall: "process", libc });
  const paths = permissionPaths(policy);
  const lock = treeLockPath();
  assertEquals(paths.read, [policy.modulePath, box.ws, box.ro, ...(lock ? [lock] : [])]);
  assertEquals(paths.write, [box.ws]);
  for (
    const flag of [
      "--no-prompt",
      `--allow-read=${paths.read.join(",")}`,
      `--allow-write=${box.ws}`,
      "--deny-env",
      "--deny-net",
      "--deny-run",
      // FFI only for the C library, which the child uses once to put up the kernel wall
      libc === null ? "--deny-ffi" : `--allow-ffi=${libc}`,
      "--deny-sys",
      "--no-remote",
    ]
  ) assertEquals(cmd.args.includes(flag), true, flag);
  assertEquals(cmd.args.some((a) => a === "-A" || a.startsWith("--allow-all")), false);
  assertEquals(cmd.args.includes("--allow-ffi"), false);
  assertEquals(childCommand(policy, { wall: "process" }).args.includes("--deny-ffi"), true);
  assertEquals(Object.keys(cmd.env).sort(), ["DENO_DIR", "DENO_NO_UPDATE_CHECK", "NO_COLOR"]);
});
