import { assertEquals } from "./helpers/assert.ts";
import { cGuest, npmPackage } from "./helpers/guests.ts";
import { lines, tree, wasp } from "./helpers/wasp.ts";

/** SQLite 3.50 (the amalgamation shipped in better-sqlite3's npm package), built for WASI. */
async function sqliteGuest(): Promise<string> {
  const pkg = await npmPackage("better-sqlite3@12.4.1");
  return await cGuest("sqlite_demo", {
    sources: [`${pkg}/deps/sqlite3/sqlite3.c`],
    includes: [`${pkg}/deps/sqlite3`],
  });
}

Deno.test("real world: SQLite keeps a database in the workspace across runs", async () => {
  const sqlite = await sqliteGuest();
  const dir = await tree({ "ws/": "" });
  const first = await wasp([
    "run",
    sqlite,
    "--allow-dir",
    `${dir}/ws::/data`,
    "--",
    "/data/notes.db",
    "create table notes(id integer primary key, body text not null)",
    "begin",
    "insert into notes(body) values ('alpha'), ('beta'), ('gamma')",
    "commit",
    "select count(*), group_concat(body, ',') from notes",
  ]);
  assertEquals(first.envelope.status, "success", first.envelope.stderr);
  assertEquals(lines(first.envelope.stdout), ["3|alpha,beta,gamma"]);
  const header = (await Deno.readFile(`${dir}/ws/notes.db`)).subarray(0, 16);
  assertEquals(new TextDecoder().decode(header), "SQLite format 3\0");
  const second = await wasp([
    "run",
    sqlite,
    "--allow-dir",
    `${dir}/ws::/data`,
    "--",
    "/data/notes.db",
    "select id, body from notes where body like '%a' order by id desc",
  ]);
  assertEquals(second.envelope.status, "success", second.envelope.stderr);
  assertEquals(lines(second.envelope.stdout), ["3|gamma", "2|beta", "1|alpha"]);
  assertEquals([...Deno.readDirSync(`${dir}/ws`)].map((e) => e.name), ["notes.db"]);
});

Deno.test("real world: SQLite cannot write a database in a read-only grant", async () => {
  const sqlite = await sqliteGuest();
  const dir = await tree({ "ro/": "" });
  const r = await wasp([
    "run",
    sqlite,
    "--allow-dir-ro",
    `${dir}/ro::/data`,
    "--",
    "/data/new.db",
    "create table t(x)",
  ]);
  assertEquals(r.envelope.error_kind, "guest_exit");
  assertEquals([...Deno.readDirSync(`${dir}/ro`)].length, 0);
});
