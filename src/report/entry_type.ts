/**
 * The kind of a host entry as the change report names it.
 * @module
 */
import type { EntryType } from "./types.ts";

/** `dir`, `symlink` or `file` (anything else that is not a directory or symlink). */
export function entryType(st: Deno.FileInfo): EntryType {
  return st.isDirectory ? "dir" : st.isSymlink ? "symlink" : "file";
}
