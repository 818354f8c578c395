/**
 * A pool Worker's own working directory. The race-free file layer (engine/wasi/fs/pin.ts)
 * enters directories with chdir, and a process has one working directory shared by all its
 * threads: two Workers pinning different directories would move each other. Each Worker
 * therefore calls `unshare(CLONE_FS)` on its own thread first, through the C library (the
 * same library, loaded the same way, as the Landlock wall), which gives the thread a private
 * copy of the working directory, root and umask. A Worker that cannot do it runs nothing.
 * @module
 */

const CLONE_FS = 0x200;

const SYMBOLS = {
  unshare: { parameters: ["i32"], result: "i32" },
} as const;

/**
 * Gives the calling thread its own working directory; true when the kernel did. Leaves the
 * library closed (the caller revokes FFI after its Landlock set-up).
 */
export function unshareWorkingDirectory(libcPath: string): boolean {
  let lib: Deno.DynamicLibrary<typeof SYMBOLS> | null = null;
  try {
    lib = Deno.dlopen(libcPath, SYMBOLS);
    return lib.symbols.unshare(CLONE_FS) === 0;
  } catch {
    return false;
  } finally {
    lib?.close();
  }
}
