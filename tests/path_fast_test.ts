/**
 * The path layer's fast paths (src/engine/wasi/fs/pin.ts `enter`, the create fast path of
 * sys_path.ts) decide exactly as the full checks do. In-process, like wasi_host_test.ts.
 */
import { assertEquals } from "./helpers/assert.ts";
import { sandbox } from "./helpers/fs_case.ts";
import { testHost } from "./helpers/host.ts";
import { E, OFLAGS, R } from "../src/engine/wasi/constants.ts";
import { locate } from "../src/engine/wasi/fs/walk.ts";
import { forgetHere, refOf } from "../src/engine/wasi/fs/pin.ts";
import type { DirGrant } from "../src/policy.ts";
import { ownWorkingDirectory } from "./helpers/own_cwd.ts";

// this file enters directories with chdir in the test process: on its own thread's directory
ownWorkingDirectory();

function errnoOf(fn: () => unknown): number {
  try {
    fn();
    return E.SUCCESS;
  } catch (err) {
    return (err as { errno: number }).errno;
  }
}

/** locate() once through the fast path (working directory known) and once in full. */
function bothWays(dir: ReturnType<typeof refOf>, path: string): [number, number] {
  const fast = errnoOf(() => locate(dir, path, true));
  forgetHere();
  const full = errnoOf(() => locate(dir, path, true));
  return [fast, full];
}

Deno.test("locate() refuses a directory moved away from under the working directory, as a full pin does", async () => {
  const box = await sandbox();
  const sub = refOf(`${box.ws}/sub`);
  assertEquals(errnoOf(() => locate(sub, "inner.txt", true)), E.SUCCESS); // cwd is now sub
  Deno.renameSync(`${box.ws}/sub`, `${box.ws}/moved`);
  Deno.symlinkSync("moved", `${box.ws}/sub`);
  // the working directory is still that directory, but its remembered path is stale
  assertEquals(errnoOf(() => locate(sub, "inner.txt", true)), E.NOTCAPABLE);
  assertEquals(bothWays(sub, "inner.txt"), [E.NOTCAPABLE, E.NOTCAPABLE]);
  Deno.removeSync(`${box.ws}/sub`);
  assertEquals(bothWays(sub, "inner.txt"), [E.NOENT, E.NOENT]);
  Deno.renameSync(`${box.ws}/moved`, `${box.ws}/sub`);
  assertEquals(bothWays(sub, "inner.txt"), [E.SUCCESS, E.SUCCESS]);
});

Deno.test("locate() refuses a directory replaced by another one at its path, as a full pin does", async () => {
  const box = await sandbox();
  const sub = refOf(`${box.ws}/sub`);
  assertEquals(errnoOf(() => locate(sub, "inner.txt", true)), E.SUCCESS);
  Deno.renameSync(`${box.ws}/sub`, `${box.ws}/moved`);
  Deno.mkdirSync(`${box.ws}/sub`);
  Deno.writeTextFileSync(`${box.ws}/sub/inner.txt`, "impostor");
  assertEquals(bothWays(sub, "inner.txt"), [E.NOTCAPABLE, E.NOTCAPABLE]);
});

function hostFor(dirs: DirGrant[]) {
  const { host, memory } = testHost(dirs);
  const u8 = new Uint8Array(memory.buffer);
  return (path: string, oflags: number, dirflags = 1) => {
    const bytes = new TextEncoder().encode(path);
    u8.set(bytes, 1024);
    return host.imports.path_open(
      3,
      dirflags,
      1024,
      bytes.length,
      oflags,
      BigInt(R.FD_WRITE),
      0n,
      0,
      0,
    );
  };
}

Deno.test("path_open with O_CREAT decides every case as the full check does", async () => {
  const box = await sandbox();
  await Deno.writeTextFile(`${box.ws}/keep.txt`, "kept");
  await Deno.symlink("keep.txt", `${box.ws}/link`);
  await Deno.symlink("../secret/s.txt", `${box.ws}/out`);
  const open = hostFor([
    { host: box.ws, guest: "/ws", access: "read-write" },
  ]);
  const C = OFLAGS.CREAT;
  const X = OFLAGS.CREAT | OFLAGS.EXCL;
  for (
    const [path, oflags, dirflags, errno] of [
      ["new.txt", C, 1, E.SUCCESS],
      ["new.txt", X, 1, E.EXIST],
      ["keep.txt", C, 1, E.SUCCESS],
      ["keep.txt", X, 1, E.EXIST],
      ["sub/new2.txt", C, 1, E.SUCCESS],
      ["link", C, 1, E.SUCCESS], // followed: opens keep.txt
      ["link", C, 0, E.LOOP],
      ["link", X, 1, E.EXIST],
      ["out", C, 1, E.NOTCAPABLE],
      ["out", X, 1, E.EXIST],
      ["sub", C, 1, E.ISDIR],
      ["dir/", C, 1, E.ISDIR],
      ["missing/x", C, 1, E.NOENT],
      ["keep.txt/x", C, 1, E.NOTDIR],
      ["../x", C, 1, E.NOTCAPABLE],
      [".", C, 1, E.ISDIR],
    ] as const
  ) {
    assertEquals(open(path, oflags, dirflags), errno, `${path} ${oflags} ${dirflags}`);
  }
  assertEquals(await Deno.readTextFile(`${box.ws}/keep.txt`), "kept");
  assertEquals(await Deno.readTextFile(`${box.ws}/new.txt`), "");
  assertEquals(await Deno.readTextFile(`${box.secret}/s.txt`), "TOP SECRET");
});

Deno.test("path_open with O_CREAT in a read-only grant creates nothing", async () => {
  const box = await sandbox();
  const open = hostFor([{ host: box.ws, guest: "/ws", access: "read-only" }]);
  assertEquals(open("new.txt", OFLAGS.CREAT), E.ROFS);
  assertEquals(open("data.txt", OFLAGS.CREAT), E.ROFS); // asks for writing
  let exists = true;
  try {
    await Deno.lstat(`${box.ws}/new.txt`);
  } catch {
    exists = false;
  }
  assertEquals(exists, false);
});

/** The modules `entry` imports (statically, transitively), as repository paths. */
async function importClosure(entry: URL): Promise<Set<string>> {
  const seen = new Set<string>();
  const root = new URL("../", import.meta.url).href;
  const visit = async (url: URL) => {
    const key = url.href.slice(root.length);
    if (seen.has(key)) return;
    seen.add(key);
    const text = await Deno.readTextFile(url);
    for (const m of text.matchAll(/^(?:import|export)[^"]*?from\s+"(\.[^"]+\.ts)"/gms)) {
      await visit(new URL(m[1], url));
    }
  };
  await visit(entry);
  return seen;
}

Deno.test("the walled child changes its working directory only through fs/pin.ts (which enter() relies on)", async () => {
  const child = await importClosure(new URL("../src/wall/child_main.ts", import.meta.url));
  const root = new URL("../", import.meta.url);
  const offenders: string[] = [];
  for (const file of child) {
    const text = await Deno.readTextFile(new URL(file, root));
    if (/Deno\.chdir\(|process\.chdir\(/.test(text) && file !== "src/engine/wasi/fs/pin.ts") {
      offenders.push(file);
    }
  }
  assertEquals(child.has("src/engine/wasi/fs/pin.ts"), true);
  assertEquals(offenders, []);
});
