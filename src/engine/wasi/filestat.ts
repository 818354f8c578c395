/**
 * Encoding of host file metadata into WASI `filestat` records.
 * @module
 */
import { filetypeOf } from "./fd_table.ts";
import type { GuestMemory } from "./memory.ts";

/** Nanoseconds since the epoch for a host timestamp (0 when unknown). */
export function nanos(d: Date | null): bigint {
  return d ? BigInt(d.getTime()) * 1_000_000n : 0n;
}

/** Writes a 64-byte filestat for `st` at `ptr`. */
export function writeFilestat(mem: GuestMemory, ptr: number, st: Deno.FileInfo): void {
  mem.bytes(ptr, 64).fill(0);
  mem.u64(ptr, st.dev ?? 0);
  mem.u64(ptr + 8, st.ino ?? 0);
  mem.u8At(ptr + 16, filetypeOf(st));
  mem.u64(ptr + 24, st.nlink ?? 1);
  mem.u64(ptr + 32, st.size);
  mem.u64(ptr + 40, nanos(st.atime));
  mem.u64(ptr + 48, nanos(st.mtime));
  mem.u64(ptr + 56, nanos(st.ctime ?? st.mtime));
}

/** Writes a filestat for a stream (stdio) of the given type. */
export function writeStreamFilestat(mem: GuestMemory, ptr: number, filetype: number): void {
  mem.bytes(ptr, 64).fill(0);
  mem.u8At(ptr + 16, filetype);
  mem.u64(ptr + 24, 1);
}
