/**
 * Opening entries of the pinned working directory. An existing entry is opened without any
 * side effect (no create, no truncate) and the opened object is compared with what lstat
 * showed; only then may the caller truncate or change it through the open file. A new file is
 * created with O_EXCL, which never follows a symlink.
 * @module
 */
import { E } from "../constants.ts";
import { errnoOf, fail } from "../errno.ts";
import { deny } from "../denied.ts";
import { sameObject } from "./pin.ts";

function open(name: string, options: Deno.OpenOptions): Deno.FsFile {
  try {
    return Deno.openSync(name, options);
  } catch (err) {
    fail(errnoOf(err));
  }
}

/**
 * Opens the entry `name`, which lstat showed as `expected`, and refuses (ENOTCAPABLE) when
 * what was opened is another object: the entry was swapped between the check and the open.
 * `host` is the entry's host path, for the denial report.
 */
export function openExisting(
  name: string,
  expected: Deno.FileInfo,
  access: { read: boolean; write: boolean },
  host = name,
): Deno.FsFile {
  const file = open(name, access);
  let same = false;
  try {
    same = sameObject(file.statSync(), expected);
  } catch {
    same = false;
  }
  if (!same) {
    file.close();
    deny(E.NOTCAPABLE, "identity_check", host);
  }
  return file;
}

/** Creates the entry `name` as a new regular file; EEXIST when anything stands there. */
export function createNew(name: string, read: boolean): Deno.FsFile {
  return open(name, { read, write: true, createNew: true });
}

/** Like `createNew`, but returns null instead of failing (callers fall back to a full check). */
export function tryCreateNew(name: string, read: boolean): Deno.FsFile | null {
  try {
    return Deno.openSync(name, { read, write: true, createNew: true });
  } catch {
    return null;
  }
}

/**
 * Runs `body` with the entry `name` (lstat showed `expected`, a directory or a file) open,
 * for changes made through the open object (times). Falls back to write-only for a file
 * whose mode forbids reading.
 */
export function withOpened<T>(
  name: string,
  expected: Deno.FileInfo,
  body: (file: Deno.FsFile) => T,
): T {
  let file: Deno.FsFile;
  try {
    file = openExisting(name, expected, { read: true, write: false });
  } catch (err) {
    if (expected.isDirectory || errnoOf(err) !== E.ACCES) throw err;
    file = openExisting(name, expected, { read: false, write: true });
  }
  try {
    return body(file);
  } finally {
    file.close();
  }
}
