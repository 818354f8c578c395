/**
 * The envelope's policy states the access each guest path really has, and guest path names
 * behave as documented for C guests (wasi-libc's preopen matching).
 */
import { assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { lines, tree, wasp } from "./helpers/wasp.ts";

Deno.test("one directory granted rw and ro: both guest paths are listed and behave read-only", async () => {
  const dir = await tree({ "ws/in.txt": "x" });
  const r = await wasp([
    "run",
    await cGuest("fsops"),
    "--allow-dir",
    "./ws::/a",
    "--allow-dir-ro",
    "./ws::/b",
    "--",
    "write:/a/new.txt:y",
    "write:/b/new.txt:y",
  ], { cwd: dir });
  assertEquals(lines(r.envelope.stdout), ["write err EROFS", "write err EROFS"]);
  assertEquals(r.envelope.policy?.dirs.map((d) => [d.guest, d.access]), [
    ["/a", "read-only"],
    ["/b", "read-only"],
  ]);
});

Deno.test("one directory granted rw twice stays read-write at both guest paths", async () => {
  const dir = await tree({ "ws/in.txt": "x" });
  const r = await wasp([
    "run",
    await cGuest("fsops"),
    "--allow-dir",
    "./ws::/a",
    "--allow-dir",
    "./ws::/b",
    "--",
    "write:/a/one.txt:1",
    "write:/b/two.txt:2",
  ], { cwd: dir });
  assertEquals(lines(r.envelope.stdout), ["write ok", "write ok"]);
  assertEquals(r.envelope.policy?.dirs.map((d) => d.access), ["read-write", "read-write"]);
});

Deno.test("a read-only grant nested in a read-write one: each root reports its own access", async () => {
  const dir = await tree({ "ws/sub/in.txt": "x" });
  const r = await wasp([
    "run",
    await cGuest("fsops"),
    "--allow-dir",
    "./ws::/ws",
    "--allow-dir-ro",
    "./ws/sub::/sub",
    "--",
    "write:/ws/top.txt:1",
    "write:/ws/sub/no.txt:2",
  ], { cwd: dir });
  assertEquals(lines(r.envelope.stdout), ["write ok", "write err EROFS"]);
  assertEquals(r.envelope.policy?.dirs.map((d) => [d.guest, d.access]), [
    ["/ws", "read-write"],
    ["/sub", "read-only"],
  ]);
});

Deno.test("--allow-dir ./data: a C guest opens data/x and /data/x; HOST::/data is the documented form", async () => {
  const dir = await tree({ "data/in.txt": "data file" });
  const fsops = await cGuest("fsops");
  const asWritten = await wasp([
    "run",
    fsops,
    "--allow-dir",
    "./data",
    "--",
    "read:data/in.txt",
    "read:/data/in.txt",
    "read:./data/in.txt",
  ], { cwd: dir });
  // wasi-libc matches a path against grant names after dropping leading "/" and "./" from
  // the grant name, but never drops "./" from the path it opens
  assertEquals(lines(asWritten.envelope.stdout), [
    "read ok data file",
    "read ok data file",
    "read err ENOTCAPABLE",
  ]);
  const absolute = await wasp([
    "run",
    fsops,
    "--allow-dir",
    "./data::/data",
    "--",
    "read:/data/in.txt",
    "read:data/in.txt",
  ], { cwd: dir });
  assertEquals(lines(absolute.envelope.stdout), ["read ok data file", "read ok data file"]);
});
