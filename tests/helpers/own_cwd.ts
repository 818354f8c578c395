/**
 * `deno test --parallel` runs every test file on a thread of one process, and a process has one
 * working directory. Tests that run wasp's file layer in the test process itself (it enters
 * directories with chdir) would move every other file's working directory, and could leave it
 * in a directory that a test then removes. Such a file calls `ownWorkingDirectory()` first: its
 * thread gets a working directory of its own, as each pool Worker does.
 * @module
 */
import { unshareWorkingDirectory } from "../../src/pool/private_fs.ts";
import { findLibc } from "../../src/wall/landlock.ts";

/** Gives the calling test file's thread its own working directory; throws where it cannot. */
export function ownWorkingDirectory(): void {
  const libc = findLibc();
  if (libc === null || !unshareWorkingDirectory(libc)) {
    throw new Error("this test file needs unshare(CLONE_FS) (Linux with a C library)");
  }
}
