/**
 * The parent's symlink broker checks every request itself, so a compromised walled child
 * cannot use it to create links outside its read-write grants, nor links that lead out.
 */
import { assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { sandbox } from "./helpers/fs_case.ts";
import { tree, wasp } from "./helpers/wasp.ts";
import { buildPolicy } from "../src/policy.ts";
import { brokerSymlink } from "../src/wall/broker.ts";
import type { PinnedDir } from "../src/engine/mod.ts";
import { ownWorkingDirectory } from "./helpers/own_cwd.ts";

// this file enters directories with chdir in the test process: on its own thread's directory
ownWorkingDirectory();

function ref(host: string, as = host): PinnedDir {
  const st = Deno.statSync(as);
  return { host, dev: st.dev!, ino: st.ino! };
}

Deno.test("brokerSymlink creates links only in a pinned read-write directory, never leading out", async () => {
  const box = await sandbox();
  await Deno.symlink(box.secret, `${box.ws}/door`);
  const dirs = [
    { host: box.ws, access: "read-write" as const },
    { host: box.ro, access: "read-only" as const },
  ];
  const policy = buildPolicy({ module: await cGuest("hello"), dirs });
  const cwd = Deno.cwd();
  const cases: [PinnedDir, string, string, string | null][] = [
    [ref(box.ws), "ok-link", "data.txt", null],
    [ref(`${box.ws}/sub`), "up", "../data.txt", null],
    [ref(box.ws), "abs", "/etc/passwd", "EPERM"],
    [ref(box.ws), "climb", "../secret/s.txt", "EPERM"],
    [ref(`${box.ws}/sub`), "climb2", "../../secret", "EPERM"],
    [ref(box.ws), "late-dotdot", "sub/../../secret", "EPERM"],
    [ref(box.ro), "in-ro", "r.txt", "EROFS"],
    [ref(box.secret), "outside", "s.txt", "ENOTCAPABLE"],
    // the path leads through a symlink to the outside directory the child claims to have pinned
    [ref(`${box.ws}/door`, box.secret), "through-link", "s.txt", "ENOTCAPABLE"],
    // the directory at the path is not the one the child checked
    [{ ...ref(box.ws), ino: ref(`${box.ws}/sub`).ino }, "swapped", "data.txt", "ENOTCAPABLE"],
    [ref(box.ws), "../escape", "x", "EINVAL"],
    [ref(box.ws), "..", "x", "EINVAL"],
    [{ ...ref(box.ws), host: "relative/path" }, "x", "x", "EINVAL"],
    [ref(box.ws), "ok-link", "x", "EEXIST"],
    [ref(box.ws), "empty", "", "ENOENT"],
  ];
  for (const [dir, name, target, error] of cases) {
    assertEquals(brokerSymlink(policy, dir, name, target).error, error, `${dir.host} ${name}`);
  }
  assertEquals(await Deno.readLink(`${box.ws}/ok-link`), "data.txt");
  assertEquals(await Deno.readLink(`${box.ws}/sub/up`), "../data.txt");
  assertEquals([...Deno.readDirSync(box.secret)].map((e) => e.name), ["s.txt"]);
  assertEquals(Deno.cwd(), cwd, "the broker restores the working directory");
  const denied = buildPolicy({ module: await cGuest("hello"), dirs, symlinks: "deny" });
  assertEquals(brokerSymlink(denied, ref(box.ws), "no", "data.txt").error, "EPERM");
});

Deno.test("brokerSymlink leaves a removed working directory removed, never resolving from /", async () => {
  const box = await sandbox();
  const policy = buildPolicy({
    module: await cGuest("hello"),
    dirs: [{ host: box.ws, access: "read-write" }],
  });
  // this file's thread has a working directory of its own (ownWorkingDirectory above)
  const saved = Deno.cwd();
  const gone = await Deno.makeTempDir();
  Deno.chdir(gone);
  await Deno.remove(gone);
  try {
    assertEquals(brokerSymlink(policy, ref(box.ws), "made", "data.txt").error, null);
    assertEquals(await Deno.readLink(`${box.ws}/made`), "data.txt");
    let now: string | null = null;
    try {
      now = Deno.cwd();
    } catch {
      now = null;
    }
    assertEquals(now, null, "a relative path would resolve from here");
  } finally {
    Deno.chdir(saved);
  }
});

const WALLS: [string, Record<string, string>][] = [
  ["with the kernel wall (a broker process)", {}],
  ["without the kernel wall (the parent answers)", { WASP_KERNEL_WALL: "off" }],
  ["in the pool without the kernel wall", { WASP_WALL: "pool", WASP_KERNEL_WALL: "off" }],
];

for (const [how, env] of WALLS) {
  Deno.test(`a guest that removes wasp's working directory still gets its symlinks, ${how}`, async () => {
    const dir = await tree({ "ws/sub/": "" });
    const r = await wasp([
      "run",
      await cGuest("fsops"),
      "--allow-dir",
      `${dir}/ws::/ws`,
      "--",
      "rmdir:/ws/sub",
      "symlink:x:/ws/link",
    ], { cwd: `${dir}/ws/sub`, env });
    assertEquals(r.envelope.error_kind, null, r.envelope.error ?? "");
    assertEquals(r.envelope.stdout, "rmdir ok\nsymlink ok\n");
    assertEquals(await Deno.readLink(`${dir}/ws/link`), "x");
  });
}
