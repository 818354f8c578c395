/**
 * Wall 3 on its own: a process with unscoped Deno file and network permissions puts up the
 * kernel wall (Landlock) as the walled child does; the kernel alone then keeps it inside.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { sandbox } from "./helpers/fs_case.ts";
import { findLibc } from "../src/wall/landlock.ts";

Deno.test("the kernel wall alone refuses files outside the grants, TCP, and FFI after set-up", async () => {
  const libc = findLibc();
  assert(libc !== null, "this Linux test machine must have a C library to reach Landlock");
  const box = await sandbox();
  await Deno.symlink("../secret", `${box.ws}/door`);
  const probe = new URL("./fixtures/kernel_probe.ts", import.meta.url).pathname;
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = String((listener.addr as Deno.NetAddr).port);
  listener.close();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--allow-read",
      "--allow-write",
      "--allow-net=127.0.0.1",
      `--allow-ffi=${libc}`,
      probe,
      libc,
      box.ws,
      box.ro,
      `${box.secret}/s.txt`,
      port,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const report = JSON.parse(new TextDecoder().decode(out.stdout));
  assertEquals(JSON.parse(report.wall).applied, true, report.wall);
  delete report.wall;
  assertEquals(report, {
    "read rw": "allowed",
    "write rw": "allowed",
    "read ro": "allowed",
    "write ro": "denied",
    "read outside": "denied",
    "read through a symlink out": "denied",
    "hard link from outside": "denied",
    "rename out": "denied",
    "list outside": "denied",
    "tcp connect": "denied",
    "load libc again": "denied by deno",
  });
  assertEquals(await Deno.readTextFile(`${box.secret}/s.txt`), "TOP SECRET");
});
