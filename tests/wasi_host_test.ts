/**
 * In-process tests of the WASI host (no walled child): calls the import functions directly
 * on a real WebAssembly.Memory. Used where a test must interleave host events with a call.
 */
import { assertEquals } from "./helpers/assert.ts";
import { sandbox } from "./helpers/fs_case.ts";
import { testHost } from "./helpers/host.ts";
import { E, OFLAGS, R } from "../src/engine/wasi/constants.ts";
import { locate } from "../src/engine/wasi/fs/walk.ts";
import { refOf } from "../src/engine/wasi/fs/pin.ts";
import { DEFAULT_LIMITS } from "../src/limits.ts";
import type { DirGrant } from "../src/policy.ts";
import { ownWorkingDirectory } from "./helpers/own_cwd.ts";

// this file enters directories with chdir in the test process: on its own thread's directory
ownWorkingDirectory();

function hostFor(dirs: DirGrant[]) {
  const { host, memory } = testHost(dirs);
  const u8 = new Uint8Array(memory.buffer);
  const open = (path: string, oflags = 0, rights = R.FD_READ) => {
    const bytes = new TextEncoder().encode(path);
    u8.set(bytes, 1024);
    const fn = host.imports.path_open;
    const errno = fn(3, 1, 1024, bytes.length, oflags, BigInt(rights), 0n, 0, 0);
    return { errno, fd: new DataView(memory.buffer).getUint32(0, true) };
  };
  /** Reads up to 256 bytes from `fd` (iovec at 0, data at 2048). */
  const read = (fd: number) => {
    const view = new DataView(memory.buffer);
    view.setUint32(16, 2048, true);
    view.setUint32(20, 256, true);
    const errno = host.imports.fd_read(fd, 16, 1, 32);
    const n = view.getUint32(32, true);
    return { errno, text: new TextDecoder().decode(u8.subarray(2048, 2048 + n)) };
  };
  return { host, open, read };
}

/** Runs `body` with Deno.openSync replaced by `wrapper` (restored afterwards). */
async function withOpenHook(
  wrapper: (real: typeof Deno.openSync) => typeof Deno.openSync,
  body: () => void | Promise<void>,
) {
  const real = Deno.openSync;
  Object.defineProperty(Deno, "openSync", {
    value: wrapper(real),
    configurable: true,
    writable: true,
  });
  try {
    await body();
  } finally {
    Object.defineProperty(Deno, "openSync", { value: real, configurable: true, writable: true });
  }
}

Deno.test("path_open opens the checked file even when its directory is swapped for a symlink before the open", async () => {
  const box = await sandbox();
  await Deno.writeTextFile(`${box.secret}/inner.txt`, "SECRET VIA SWAP");
  const { open, read } = hostFor([{ host: box.ws, guest: "/ws", access: "read-write" }]);
  await withOpenHook((real) => (path, options) => {
    // the attacker's move, between wasp's resolution and its open
    Deno.renameSync(`${box.ws}/sub`, `${box.ws}/sub-old`);
    Deno.symlinkSync(box.secret, `${box.ws}/sub`);
    return real(path, options);
  }, () => {
    // the directory is pinned by inode: the open acts on the directory that was checked
    const r = open("sub/inner.txt");
    assertEquals(r.errno, E.SUCCESS);
    assertEquals(read(r.fd).text, "inner");
  });
});

Deno.test("path_open refuses a file swapped for a symlink to an outside file before the open", async () => {
  const box = await sandbox();
  const { open } = hostFor([{ host: box.ws, guest: "/ws", access: "read-write" }]);
  await withOpenHook((real) => (path, options) => {
    Deno.renameSync(`${box.ws}/data.txt`, `${box.ws}/data-old.txt`);
    Deno.symlinkSync(`${box.secret}/s.txt`, `${box.ws}/data.txt`);
    return real(path, options);
  }, () => {
    assertEquals(open("data.txt", OFLAGS.TRUNC, R.FD_WRITE).errno, E.NOTCAPABLE);
  });
  assertEquals(await Deno.readTextFile(`${box.secret}/s.txt`), "TOP SECRET");
});

Deno.test("path_open succeeds when nothing changes between resolution and open", async () => {
  const box = await sandbox();
  const { open } = hostFor([{ host: box.ws, guest: "/ws", access: "read-write" }]);
  assertEquals(open("sub/inner.txt").errno, E.SUCCESS);
  assertEquals(open("new.txt", OFLAGS.CREAT, R.FD_WRITE).errno, E.SUCCESS);
  assertEquals(await Deno.readTextFile(`${box.ws}/new.txt`), "");
});

Deno.test("locate follows relative links inside and refuses the rest", async () => {
  const box = await sandbox();
  await Deno.symlink("sub", `${box.ws}/s`);
  await Deno.symlink("s/../data.txt", `${box.ws}/back`);
  await Deno.symlink("../../secret", `${box.ws}/sub/out`);
  assertEquals(locate(refOf(box.ws), "s/inner.txt", true).host, `${box.ws}/sub/inner.txt`);
  assertEquals(locate(refOf(box.ws), "back", true).host, `${box.ws}/data.txt`);
  assertEquals(locate(refOf(box.ws), "s", false).stat?.isSymlink, true);
  assertEquals(locate(refOf(box.ws), "s/", false).stat?.isDirectory, true);
  assertEquals(locate(refOf(box.ws), ".", true).isRoot, true);
  assertEquals(locate(refOf(box.ws), "sub/..", true).isRoot, true);
  assertEquals(locate(refOf(box.ws), "missing", true).stat, null);
  for (
    const [path, errno] of [
      ["sub/out/s.txt", E.NOTCAPABLE],
      ["..", E.NOTCAPABLE],
      ["/x", E.NOTCAPABLE],
      ["missing/x", E.NOENT],
      ["data.txt/x", E.NOTDIR],
      ["data.txt/", E.NOTDIR],
      ["", E.NOENT],
      ["a\0b", E.INVAL],
    ] as const
  ) {
    let got: number = E.SUCCESS;
    try {
      locate(refOf(box.ws), path, true);
    } catch (err) {
      got = (err as { errno: number }).errno;
    }
    assertEquals(got, errno, path);
  }
});

Deno.test("the host stops a guest itself at its next syscall once far past the time limit", async () => {
  const { host } = testHost([], { limits: { ...DEFAULT_LIMITS, timeoutMs: 1 } });
  assertEquals(host.imports.sched_yield(), E.SUCCESS);
  const past = performance.now() + 2100;
  while (performance.now() < past) await new Promise((r) => setTimeout(r, 100));
  let stopped: unknown = null;
  try {
    host.imports.sched_yield();
  } catch (err) {
    stopped = err;
  }
  assertEquals((stopped as { outcome?: { errorKind?: string } })?.outcome?.errorKind, "timeout");
});
