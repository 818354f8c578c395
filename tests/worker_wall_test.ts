/**
 * The worker wall (what a `deno compile` binary uses) selected under `deno run` with
 * WASP_WALL=worker: the same guarantees through a Worker with narrowed `deno.permissions`.
 * (tests/wall2_test.ts probes the Worker's permissions directly.)
 */
import { assertEquals } from "./helpers/assert.ts";
import { fsops, sandbox } from "./helpers/fs_case.ts";
import { cGuest } from "./helpers/guests.ts";
import { lines, wasp } from "./helpers/wasp.ts";
import { buildPolicy } from "../src/policy.ts";
import { childCommand } from "../src/wall/child_command.ts";
import { treeLockPath } from "../src/wall/tree_lock.ts";

const WORKER = { WASP_WALL: "worker", WASP_TEST_SECRET: "hunter2" };

Deno.test("worker wall: the child runs worker_host.ts with grants for the Worker only", async () => {
  const box = await sandbox();
  const policy = buildPolicy({
    module: await cGuest("hello"),
    dirs: [{ host: box.ws, access: "read-write" }, { host: box.ro, access: "read-only" }],
  });
  const cmd = childCommand(policy, { wall: "worker" });
  assertEquals(cmd.args.includes("--unstable-worker-options"), true);
  assertEquals(cmd.args.some((a) => a.endsWith("/src/wall/worker_host.ts")), true);
  const grants = JSON.parse(cmd.args.at(-1)!);
  const lock = treeLockPath();
  assertEquals(grants.read, [policy.modulePath, box.ws, box.ro, ...(lock ? [lock] : [])]);
  assertEquals(grants.write, [box.ws]);
});

Deno.test("worker wall: env stays hidden and --env values arrive", async () => {
  const r = await wasp(["run", await cGuest("env"), "--env", "A=1"], { env: WORKER });
  assertEquals(r.envelope.stdout, "A=1\n");
});

Deno.test("worker wall: escapes fail, grants work, symlinks are brokered", async () => {
  const box = await sandbox();
  await Deno.symlink("../secret/s.txt", `${box.ws}/leak`);
  const args = ["--allow-dir", `${box.ws}::/ws`, "--allow-dir-ro", `${box.ro}::/ro`];
  const r = await wasp([
    "run",
    await cGuest("fsops"),
    ...args,
    "--",
    "read:/ws/data.txt",
    "write:/ws/new.txt:x",
    "read:/ws/../secret/s.txt",
    "read:/ws/leak",
    "write:/ro/r.txt:x",
    "symlink:data.txt:/ws/link",
    "read:/ws/link",
  ], { env: WORKER });
  assertEquals(lines(r.envelope.stdout), [
    "read ok ws data",
    "write ok",
    "read err ENOTCAPABLE",
    "read err ENOTCAPABLE",
    "write err EROFS",
    "symlink ok",
    "read ok ws data",
  ]);
  assertEquals(await Deno.readLink(`${box.ws}/link`), "data.txt");
  // the fsops helper also works with the same grants under the default wall
  assertEquals((await fsops(box, ["read:/ws/new.txt"])).out, ["read ok x"]);
});

Deno.test("worker wall: a timeout kills the child process and its Worker", async () => {
  const r = await wasp(["run", await cGuest("loop"), "--timeout", "2000"], { env: WORKER });
  assertEquals(r.envelope.error_kind, "timeout");
  assertEquals(r.envelope.stdout, "started\n");
});
