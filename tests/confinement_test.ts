import { assertEquals } from "./helpers/assert.ts";
import { fsops, sandbox, snapshot } from "./helpers/fs_case.ts";
import { cGuest } from "./helpers/guests.ts";
import { exists, lines, wasp } from "./helpers/wasp.ts";

Deno.test("run() reads and writes inside a read-write grant", async () => {
  const box = await sandbox();
  const { out } = await fsops(box, ["read:/ws/data.txt", "write:/ws/new.txt:fresh"]);
  assertEquals(out, ["read ok ws data", "write ok"]);
  assertEquals(await Deno.readTextFile(`${box.ws}/new.txt`), "fresh");
});

Deno.test("run() creates and reads nested paths", async () => {
  const box = await sandbox();
  const { out } = await fsops(box, [
    "mkdir:/ws/a",
    "mkdir:/ws/a/b",
    "write:/ws/a/b/c.txt:deep",
    "read:/ws/a/b/c.txt",
    "read:/ws/sub/inner.txt",
    "ls:/ws/a",
  ]);
  assertEquals(out, [
    "mkdir ok",
    "mkdir ok",
    "write ok",
    "read ok deep",
    "read ok inner",
    "ls ok b",
  ]);
  assertEquals(await Deno.readTextFile(`${box.ws}/a/b/c.txt`), "deep");
});

Deno.test("run() denies .. at the root of a grant", async () => {
  const box = await sandbox();
  const { out } = await fsops(box, [
    "read:/ws/../secret/s.txt",
    "write:/ws/../secret/s.txt:x",
    "read:/ro/../secret/s.txt",
  ]);
  assertEquals(out, ["read err ENOTCAPABLE", "write err ENOTCAPABLE", "read err ENOTCAPABLE"]);
  assertEquals(await Deno.readTextFile(`${box.secret}/s.txt`), "TOP SECRET");
});

Deno.test("run() denies .. in the middle of a path that climbs out", async () => {
  const box = await sandbox();
  const { out } = await fsops(box, [
    "read:/ws/sub/../../secret/s.txt",
    "read:/ws/sub/../data.txt",
    "write:/ro/dir/../../ws/x:y",
  ]);
  assertEquals(out, ["read err ENOTCAPABLE", "read ok ws data", "write err ENOTCAPABLE"]);
});

Deno.test("run() denies .. to a sibling directory", async () => {
  const box = await sandbox();
  const { out } = await fsops(box, ["read:/ws/../ro/r.txt", "ls:/ws/.."]);
  assertEquals(out, ["read err ENOTCAPABLE", "ls err ENOTCAPABLE"]);
});

Deno.test("run() denies absolute guest paths outside every grant", async () => {
  const box = await sandbox();
  const { out } = await fsops(box, [
    `read:${box.secret}/s.txt`,
    "read:/etc/passwd",
    "write:/tmp/wasp-escape.txt:x",
  ]);
  for (const line of out) assertEquals(/ err E(NOTCAPABLE|NOENT)$/.test(line), true, line);
  assertEquals(await exists("/tmp/wasp-escape.txt"), false);
});

Deno.test("run() denies a host symlink to a file outside the grant (relative)", async () => {
  const box = await sandbox();
  await Deno.symlink("../secret/s.txt", `${box.ws}/leak`);
  const { out } = await fsops(box, ["read:/ws/leak", "write:/ws/leak:pwned", "stat:/ws/leak"]);
  assertEquals(out, ["read err ENOTCAPABLE", "write err ENOTCAPABLE", "stat err ENOTCAPABLE"]);
  assertEquals(await Deno.readTextFile(`${box.secret}/s.txt`), "TOP SECRET");
});

Deno.test("run() denies a host symlink to a directory outside the grant (absolute)", async () => {
  const box = await sandbox();
  await Deno.symlink(box.secret, `${box.ws}/door`);
  await Deno.symlink(box.secret, `${box.ro}/door`);
  const { out } = await fsops(box, [
    "read:/ws/door/s.txt",
    "ls:/ws/door",
    "write:/ws/door/new.txt:x",
    "read:/ro/door/s.txt",
  ]);
  assertEquals(out, [
    "read err ENOTCAPABLE",
    "ls err ENOTCAPABLE",
    "write err ENOTCAPABLE",
    "read err ENOTCAPABLE",
  ]);
  assertEquals(await exists(`${box.secret}/new.txt`), false);
});

Deno.test("run() follows a relative symlink that stays inside the grant", async () => {
  const box = await sandbox();
  await Deno.symlink("sub/inner.txt", `${box.ws}/ok-link`);
  await Deno.symlink("../data.txt", `${box.ws}/sub/up-link`);
  const { out } = await fsops(box, [
    "read:/ws/ok-link",
    "read:/ws/sub/up-link",
    "lstat:/ws/ok-link",
    "readlink:/ws/ok-link",
  ]);
  assertEquals(out, [
    "read ok inner",
    "read ok ws data",
    "lstat ok symlink 13",
    "readlink ok sub/inner.txt",
  ]);
});

Deno.test("run() refuses guest symlinks that lead out and never follows a host link out", async () => {
  const box = await sandbox();
  await Deno.symlink("/", `${box.ws}/root`);
  await Deno.symlink("..", `${box.ws}/up`);
  const { out } = await fsops(box, [
    "symlink:..:/ws/up2",
    "symlink:sub/../..:/ws/late",
    "symlink:../../secret:/ws/sub/deep",
    "read:/ws/up/secret/s.txt",
    "symlink:/:/ws/root2",
    "read:/ws/root/etc/passwd",
    "symlink:up/secret:/ws/chain1",
    "symlink:chain1:/ws/chain2",
    "read:/ws/chain2/s.txt",
    "symlink:data.txt:/ws/good",
    "read:/ws/good",
    "symlink:../data.txt:/ws/sub/back",
    "read:/ws/sub/back",
  ]);
  assertEquals(out, [
    "symlink err EPERM",
    "symlink err EPERM",
    "symlink err EPERM",
    "read err ENOTCAPABLE",
    "symlink err EPERM",
    "read err ENOTCAPABLE",
    // lexically inside; it leads out only through the host's own link, which wasp never follows
    "symlink ok",
    "symlink ok",
    "read err ENOTCAPABLE",
    "symlink ok",
    "read ok ws data",
    "symlink ok",
    "read ok ws data",
  ]);
  for (const name of ["up2", "late", "sub/deep", "root2"]) {
    assertEquals(await exists(`${box.ws}/${name}`), false, name);
  }
});

Deno.test("run() reports ELOOP for symlink loops", async () => {
  const box = await sandbox();
  const { out } = await fsops(box, [
    "symlink:loop-b:/ws/loop-a",
    "symlink:loop-a:/ws/loop-b",
    "read:/ws/loop-a",
    "symlink:self:/ws/self",
    "write:/ws/self:x",
  ]);
  assertEquals(out, [
    "symlink ok",
    "symlink ok",
    "read err ELOOP",
    "symlink ok",
    "write err ELOOP",
  ]);
});

Deno.test("run() never creates the target of a dangling symlink outside the grant", async () => {
  const box = await sandbox();
  await Deno.symlink("../secret/planted.txt", `${box.ws}/dangling-out`);
  await Deno.symlink(`${box.secret}/planted2.txt`, `${box.ws}/dangling-abs`);
  await Deno.symlink("made-here.txt", `${box.ws}/dangling-in`);
  const { out } = await fsops(box, [
    "write:/ws/dangling-out:x",
    "write:/ws/dangling-abs:x",
    "write:/ws/dangling-in:inside",
    "create:/ws/dangling-in:again",
  ]);
  assertEquals(out, [
    "write err ENOTCAPABLE",
    "write err ENOTCAPABLE",
    "write ok",
    "create err EEXIST",
  ]);
  assertEquals(await exists(`${box.secret}/planted.txt`), false);
  assertEquals(await exists(`${box.secret}/planted2.txt`), false);
  assertEquals(await Deno.readTextFile(`${box.ws}/made-here.txt`), "inside");
});

Deno.test("run() moves the real host file on rename inside a grant", async () => {
  const box = await sandbox();
  const { out } = await fsops(box, ["rename:/ws/data.txt:/ws/sub/moved.txt", "ls:/ws"]);
  assertEquals(out, ["rename ok", "ls ok sub"]);
  assertEquals(await exists(`${box.ws}/data.txt`), false);
  assertEquals(await Deno.readTextFile(`${box.ws}/sub/moved.txt`), "ws data");
});

Deno.test("run() renames and links across two read-write grants", async () => {
  const box = await sandbox();
  await Deno.mkdir(`${box.root}/ws2`);
  const { out } = await fsops(box, [
    "rename:/ws/data.txt:/ws2/data.txt",
    "link:/ws2/data.txt:/ws/hard.txt",
  ], ["--allow-dir", `${box.ws}::/ws`, "--allow-dir", `${box.root}/ws2::/ws2`]);
  assertEquals(out, ["rename ok", "link ok"]);
  assertEquals(await Deno.readTextFile(`${box.root}/ws2/data.txt`), "ws data");
  assertEquals((await Deno.stat(`${box.ws}/hard.txt`)).nlink, 2);
});

Deno.test("run() refuses to rename or delete a grant root or a directory holding one", async () => {
  const box = await sandbox();
  const before = await snapshot(box.root);
  await Deno.mkdir(`${box.ws}/sub/nested`);
  const rw = await fsops(box, [
    "rename:/ws/sub:/ws/sub2",
    "rmdir:/ws/sub/nested",
    "rename:/ws/sub/nested:/ws/elsewhere",
    "rename:/scratch:/ws/x",
  ], ["--allow-dir", `${box.ws}::/ws`, "--allow-dir", `${box.ws}/sub/nested::/scratch`]);
  assertEquals(rw.out, [
    "rename err EBUSY",
    "rmdir err EBUSY",
    "rename err EBUSY",
    "rename err EBUSY",
  ]);
  const ro = await fsops(box, [
    "rename:/ws/sub:/ws/sub2",
    "rename:/ws/sub/inner.txt:/ws/x",
  ], ["--allow-dir", `${box.ws}::/ws`, "--allow-dir-ro", `${box.ws}/sub::/frozen`]);
  assertEquals(ro.out, ["rename err EROFS", "rename err EROFS"]);
  assertEquals(await snapshot(box.root), { ...before, "ws/sub/nested/": "dir" });
});

Deno.test("run() refuses a directory fd whose directory was swapped for a symlink by the guest", async () => {
  const box = await sandbox();
  await Deno.mkdir(`${box.ws}/other`);
  await Deno.writeTextFile(`${box.ws}/other/s.txt`, "other");
  const before = await snapshot(box.ws);
  delete before["sub/"];
  delete before["sub/inner.txt"];
  const r = await wasp([
    "run",
    await cGuest("stale_dir"),
    "--allow-dir",
    `${box.ws}::/ws`,
    "--",
    "other",
  ]);
  assertEquals(lines(r.envelope.stdout), [
    "open_dir 0",
    "rename 0",
    "plant 0",
    "stat_through 76",
    "open_through 76",
    "mkdir_through 76",
    "unlink_through 76",
    "readdir_through 76",
    "fdstat_dir 76",
  ]);
  // the fd still means the moved directory: nothing was done to the one the symlink names
  const after = await snapshot(box.ws);
  assertEquals(after["sub"], "-> other");
  assertEquals(after["sub-moved/"], "dir");
  delete after["sub"];
  delete after["sub-moved/"];
  delete after["sub-moved/inner.txt"];
  assertEquals(after, before);
});

Deno.test("run() --symlinks deny refuses every guest symlink, even one that stays inside", async () => {
  const box = await sandbox();
  const { out, envelope } = await fsops(box, ["symlink:data.txt:/ws/good", "read:/ws/data.txt"], [
    "--allow-dir",
    `${box.ws}::/ws`,
    "--symlinks",
    "deny",
  ]);
  assertEquals(out, ["symlink err EPERM", "read ok ws data"]);
  assertEquals(envelope.policy?.symlinks, "deny");
  assertEquals(await exists(`${box.ws}/good`), false);
});

Deno.test("run() checks a moved symlink again from its new place", async () => {
  const box = await sandbox();
  await Deno.mkdir(`${box.ws}/sub/deep`);
  const { out } = await fsops(box, [
    "symlink:../../data.txt:/ws/sub/deep/rel",
    "rename:/ws/sub/deep/rel:/ws/moved",
    "link:/ws/sub/deep/rel:/ws/linked",
    "rename:/ws/sub/deep:/ws/lifted",
    "rename:/ws/sub/deep/rel:/ws/sub/deep/same-dir",
  ]);
  assertEquals(out, [
    "symlink ok",
    "rename err EPERM",
    "link err EPERM",
    "rename err EPERM",
    "rename ok",
  ]);
  assertEquals(await Deno.readLink(`${box.ws}/sub/deep/same-dir`), "../../data.txt");
});

Deno.test("run() refuses to move or remove the shared tree lock when a grant contains it", async () => {
  const box = await sandbox();
  const env = { XDG_CACHE_HOME: `${box.ws}/cache` };
  const r = await wasp([
    "run",
    await cGuest("fsops"),
    "--allow-dir",
    `${box.ws}::/ws`,
    "--",
    "read:/ws/data.txt",
    "unlink:/ws/cache/wasp/tree.lock",
    "rename:/ws/cache/wasp/tree.lock:/ws/stolen",
    "rename:/ws/cache/wasp:/ws/moved",
    "rename:/ws/cache:/ws/moved",
    "rmdir:/ws/cache",
  ], { env });
  assertEquals(lines(r.envelope.stdout), [
    "read ok ws data",
    "unlink err EBUSY",
    "rename err EBUSY",
    "rename err EBUSY",
    "rename err EBUSY",
    "rmdir err EBUSY",
  ]);
  assertEquals((await Deno.lstat(`${box.ws}/cache/wasp/tree.lock`)).isFile, true);
});

Deno.test("run() refuses a directory fd whose directory moved, even when a symlink at its old path leads to it", async () => {
  const box = await sandbox();
  const r = await wasp(["run", await cGuest("stale_depth"), "--allow-dir", `${box.ws}::/ws`]);
  assertEquals(lines(r.envelope.stdout), [
    "mkdir 0",
    "open 0",
    "move 0",
    "plant 0",
    "climb 76",
    "create 76",
  ]);
  assertEquals(await exists(`${box.ws}/c/up`), false);
  assertEquals(await exists(`${box.ws}/c/x`), false);
});

Deno.test("run() refuses to move a host symlink that leads out, even within its directory", async () => {
  const box = await sandbox();
  await Deno.symlink("../secret", `${box.ws}/planted`);
  const { out } = await fsops(box, [
    "rename:/ws/planted:/ws/renamed",
    "link:/ws/planted:/ws/linked",
    "unlink:/ws/planted",
  ]);
  assertEquals(out, ["rename err EPERM", "link err EPERM", "unlink ok"]);
});
