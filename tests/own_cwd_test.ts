/** tests/helpers/own_cwd.ts: a test file that moves its working directory moves no other. */
import { assertEquals } from "./helpers/assert.ts";
import { ownWorkingDirectory } from "./helpers/own_cwd.ts";
import { tree } from "./helpers/wasp.ts";

Deno.test("ownWorkingDirectory() lets this test file's thread chdir without moving the process", async () => {
  const dir = await tree();
  const process = Deno.readLinkSync("/proc/self/cwd");
  ownWorkingDirectory();
  Deno.chdir(dir);
  assertEquals(Deno.readLinkSync("/proc/thread-self/cwd"), dir);
  assertEquals(Deno.readLinkSync("/proc/self/cwd"), process);
});
