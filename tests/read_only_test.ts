import { assertEquals } from "./helpers/assert.ts";
import { fsops, sandbox, snapshot } from "./helpers/fs_case.ts";

Deno.test("run() fails every mutating call on a read-only grant and leaves the host untouched", async () => {
  const box = await sandbox();
  const before = await snapshot(box.ro);
  const { out } = await fsops(box, [
    "overwrite:/ro/r.txt:x",
    "write:/ro/r.txt:x",
    "append:/ro/r.txt:x",
    "create:/ro/new.txt:x",
    "truncate:/ro/r.txt:0",
    "mkdir:/ro/newdir",
    "rmdir:/ro/dir",
    "unlink:/ro/r.txt",
    "unlink:/ro/dir/f.txt",
    "rename:/ro/r.txt:/ro/r2.txt",
    "symlink:r.txt:/ro/link",
    "link:/ro/r.txt:/ro/hard",
    "utime:/ro/r.txt",
    "read:/ro/r.txt",
    "ls:/ro",
  ]);
  assertEquals(out, [
    "overwrite err EROFS",
    "write err EROFS",
    "append err EROFS",
    "create err EROFS",
    "truncate err EROFS",
    "mkdir err EROFS",
    "rmdir err EROFS",
    "unlink err EROFS",
    "unlink err EROFS",
    "rename err EROFS",
    "symlink err EROFS",
    "link err EROFS",
    "utime err EROFS",
    "read ok read only",
    "ls ok dir,r.txt",
  ]);
  assertEquals(await snapshot(box.ro), before);
});

Deno.test("run() refuses a hard link from a read-only grant into a read-write one", async () => {
  const box = await sandbox();
  const { out } = await fsops(box, ["link:/ro/r.txt:/ws/hard", "write:/ws/hard:pwned"]);
  assertEquals(out, ["link err EXDEV", "write ok"]);
  assertEquals(await Deno.readTextFile(`${box.ro}/r.txt`), "read only");
  assertEquals((await Deno.stat(`${box.ro}/r.txt`)).nlink, 1);
});

Deno.test("run() refuses a rename from a read-only grant into a read-write one", async () => {
  const box = await sandbox();
  const { out } = await fsops(box, ["rename:/ro/r.txt:/ws/stolen", "rename:/ro/dir:/ws/dir"]);
  assertEquals(out, ["rename err EROFS", "rename err EROFS"]);
  assertEquals(await Deno.readTextFile(`${box.ro}/r.txt`), "read only");
});

Deno.test("run() refuses a rename from a read-write grant over a read-only file", async () => {
  const box = await sandbox();
  const { out } = await fsops(box, ["rename:/ws/data.txt:/ro/r.txt"]);
  assertEquals(out, ["rename err EROFS"]);
  assertEquals(await Deno.readTextFile(`${box.ro}/r.txt`), "read only");
  assertEquals(await Deno.readTextFile(`${box.ws}/data.txt`), "ws data");
});

Deno.test("run() keeps a read-only grant nested in a read-write grant read-only", async () => {
  const box = await sandbox();
  await Deno.mkdir(`${box.ws}/frozen`);
  await Deno.writeTextFile(`${box.ws}/frozen/f.txt`, "frozen");
  const grants = ["--allow-dir", `${box.ws}::/ws`, "--allow-dir-ro", `${box.ws}/frozen::/frozen`];
  const { out } = await fsops(box, [
    "write:/ws/frozen/f.txt:x",
    "write:/ws/frozen/new.txt:x",
    "write:/frozen/f.txt:x",
    "unlink:/ws/frozen/f.txt",
    "symlink:frozen/f.txt:/ws/via",
    "write:/ws/via:x",
    "read:/ws/frozen/f.txt",
    "write:/ws/free.txt:ok",
  ], grants);
  assertEquals(out, [
    "write err EROFS",
    "write err EROFS",
    "write err EROFS",
    "unlink err EROFS",
    "symlink ok",
    "write err EROFS",
    "read ok frozen",
    "write ok",
  ]);
  assertEquals(await Deno.readTextFile(`${box.ws}/frozen/f.txt`), "frozen");
});

Deno.test("run() lets a read-write grant nested in a read-only grant be written", async () => {
  const box = await sandbox();
  await Deno.mkdir(`${box.ro}/scratch`);
  const grants = ["--allow-dir-ro", `${box.ro}::/ro`, "--allow-dir", `${box.ro}/scratch::/scratch`];
  const { out } = await fsops(box, [
    "write:/ro/scratch/a.txt:via-outer",
    "write:/scratch/b.txt:via-inner",
    "write:/ro/r.txt:x",
  ], grants);
  assertEquals(out, ["write ok", "write ok", "write err EROFS"]);
  assertEquals(await Deno.readTextFile(`${box.ro}/scratch/a.txt`), "via-outer");
  assertEquals(await Deno.readTextFile(`${box.ro}/scratch/b.txt`), "via-inner");
});
