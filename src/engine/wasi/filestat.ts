/**
 * Encoding of host file metadata into WASI `filestat` records.
 * @module
 */
import { filetypeOf } from "./fd_table.ts";
import type { GuestMemory } from "./memory.ts";
import { nanos, type NsTimes } from "./times.ts";

/** Writes a 64-byte filestat for `st` at `ptr`; atim/mtim as `times` reports them. */
export function writeFilestat(
  mem: GuestMemory,
  ptr: number,
  st: Deno.FileInfo,
  times: NsTimes,
): void {
  mem.bytes(ptr, 64).fill(0);
  mem.u64(ptr, st.dev ?? 0);
  mem.u64(ptr + 8, st.ino ?? 0);
  mem.u8At(ptr + 16, filetypeOf(st));
  mem.u64(ptr + 24, st.nlink ?? 1);
  mem.u64(ptr + 32, st.size);
  mem.u64(ptr + 40, times.report(st, "atime"));
  mem.u64(ptr + 48, times.report(st, "mtime"));
  mem.u64(ptr + 56, nanos(st.ctime ?? st.mtime));
}

/** Writes a filestat for a stream (stdio) of the given type. */
export function writeStreamFilestat(mem: GuestMemory, ptr: number, filetype: number): void {
  mem.bytes(ptr, 64).fill(0);
  mem.u8At(ptr + 16, filetype);
  mem.u64(ptr + 24, 1);
}
