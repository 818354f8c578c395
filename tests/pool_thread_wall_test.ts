/**
 * The walls a pool Worker puts up around its own thread, shown on their own: with unscoped
 * Deno permissions, the kernel alone keeps the thread inside its grant, while the rest of the
 * process (the server) is neither confined nor moved by the thread's chdir.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { tree, withDeadline } from "./helpers/wasp.ts";
import { findLibc } from "../src/wall/landlock.ts";

Deno.test("a pool Worker's Landlock and working directory bind its own thread only", async () => {
  const libc = findLibc();
  assert(libc !== null, "this Linux test machine must have a C library to reach Landlock");
  const root = await tree({ "allowed/f": "inside", "outside/s": "SECRET" });
  const cwd = Deno.cwd();
  const worker = new Worker(new URL("./fixtures/pool_thread_probe.ts", import.meta.url).href, {
    type: "module",
    deno: { permissions: { read: true, write: true, ffi: [libc], env: false, net: false } },
  } as WorkerOptions);
  try {
    const report = await withDeadline(
      new Promise<Record<string, unknown>>((resolve) => {
        worker.onmessage = (e) => resolve(e.data);
        worker.postMessage({ libc, allowed: `${root}/allowed`, outside: `${root}/outside/s` });
      }),
      "the probe Worker",
    );
    assertEquals(report.privateFs, true);
    assertEquals((report.kernel as { applied: boolean }).applied, true, JSON.stringify(report));
    assertEquals(report.readAllowed, "ok");
    assertEquals(report.readOutside, "PermissionDenied");
    assertEquals(report.writeAllowed, "PermissionDenied");
    assertEquals(report.chdir, "ok");
    assertEquals(report.cwd, `${root}/allowed`);
  } finally {
    worker.terminate();
  }
  // the server's thread: not confined, not moved
  assertEquals(Deno.readTextFileSync(`${root}/outside/s`), "SECRET");
  assertEquals(Deno.cwd(), cwd);
});
