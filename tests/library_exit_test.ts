/**
 * A script that calls run() ends when its work ends: nothing wasp leaves behind (a run's
 * timers, its module read's watch) keeps the process alive until a time limit runs out.
 */
import { assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { PARENT_FLAGS } from "./helpers/wasp.ts";
import { killedAfter } from "./helpers/wasp.ts";

Deno.test("a script that calls run() exits once the run is over, long before the run's time limit", async () => {
  const host = new URL("./fixtures/library_exit.ts", import.meta.url).pathname;
  const hello = await cGuest("hello");
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PARENT_FLAGS, host, hello],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // the run's limit is 600 s: a process still there after 120 s is kept alive by it
  const out = await killedAfter(child, 120_000, [host], () => child.output());
  assertEquals(new TextDecoder().decode(out.stdout), "success\n");
  assertEquals(out.code, 0);
});
