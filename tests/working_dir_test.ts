/**
 * A long-lived host (the library, `wasp mcp --wall process`) whose working directory sits in a
 * read-write grant can have it removed by a guest. Later runs must go on: absolute paths still
 * work, and a relative path is refused with a clear policy_error, never `internal`.
 * (The host is a process of its own: the test process's working directory is shared by every
 * test file that runs in parallel with this one.)
 */
import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { PARENT_FLAGS, tree } from "./helpers/wasp.ts";
import type { Envelope } from "../src/envelope.ts";

Deno.test("run() goes on after a guest removed the host's working directory", async () => {
  const dir = await tree({ "ws/gone/": "" });
  const host = new URL("./fixtures/lost_cwd.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...PARENT_FLAGS, host, await cGuest("fsops"), await cGuest("hello"), `${dir}/ws`],
    cwd: `${dir}/ws/gone`,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, stderr);
  const { removed, gone, again, relative } = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    removed: Envelope;
    gone: boolean;
    again: Envelope;
    relative: Envelope;
  };
  assertEquals(removed.stdout, "rmdir ok\n");
  assertEquals(gone, true);
  assertEquals(again.status, "success", again.error ?? "");
  assertMatch(again.stdout, /^hello from wasp\n/);
  assertEquals(relative.error_kind, "policy_error");
  assertMatch(relative.error!, /working directory no longer exists.*absolute paths/);
});
