/**
 * A long-lived host (the library, `wasp mcp --wall process`) whose working directory sits in a
 * read-write grant can have it removed by a guest. Later runs must go on: absolute paths still
 * work, and a relative path is refused with a clear policy_error, never `internal`.
 */
import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { tree } from "./helpers/wasp.ts";
import { run } from "../src/run.ts";

Deno.test("run() goes on after a guest removed the host's working directory", async () => {
  const dir = await tree({ "ws/gone/": "" });
  const fsops = await cGuest("fsops");
  const hello = await cGuest("hello");
  const saved = Deno.cwd();
  Deno.chdir(`${dir}/ws/gone`);
  try {
    const removed = await run({
      module: fsops,
      args: ["rmdir:/ws/gone"],
      dirs: [{ host: `${dir}/ws`, guest: "/ws", access: "read-write" }],
    });
    assertEquals(removed.stdout, "rmdir ok\n");
    let gone = false;
    try {
      Deno.cwd();
    } catch {
      gone = true;
    }
    assertEquals(gone, true);
    const again = await run({ module: hello });
    assertEquals(again.status, "success", again.error ?? "");
    assertMatch(again.stdout, /^hello from wasp\n/);
    const relative = await run({ module: "hello.wasm" });
    assertEquals(relative.error_kind, "policy_error");
    assertMatch(relative.error!, /working directory no longer exists.*absolute paths/);
  } finally {
    Deno.chdir(saved);
  }
});
