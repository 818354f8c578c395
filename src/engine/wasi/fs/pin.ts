/**
 * Pinned directories: the only way the WASI host reaches a host directory. A directory is
 * entered with `chdir` and its identity (device, inode) is checked before anything is done
 * in it; operations then name one entry relative to the working directory, which the kernel
 * holds by inode. A component swapped for a symlink, or a directory moved away, between a
 * check and a use is therefore seen (identity mismatch) instead of followed. Deno checks a
 * relative path against the real working directory, so wall 2 also sees the true location.
 * @module
 */
import { E } from "../constants.ts";
import { errnoOf, fail } from "../errno.ts";
import { deny } from "../denied.ts";
import type { PinnedDir } from "../../mod.ts";

/** A directory as wasp knows it: its canonical host path when checked, and its identity. */
export type DirRef = PinnedDir;

/** The identity of a host object as far as wasp compares them. */
export function sameObject(a: Deno.FileInfo, b: { dev: number | null; ino: number | null }) {
  return a.dev === b.dev && a.ino === b.ino && a.ino !== null;
}

/** True when two pinned directories are the same directory (device and inode). */
export function sameDir(a: DirRef, b: DirRef): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** A DirRef for `host` as it is now (used for preopens, whose paths the policy checked). */
export function refOf(host: string): DirRef {
  const st = Deno.statSync(host);
  if (!st.isDirectory) fail(E.NOTDIR);
  return { host, dev: st.dev ?? 0, ino: st.ino ?? 0 };
}

/**
 * The directory the working directory was last checked to be (device, inode), or null when
 * unknown. Only the functions below change the working directory of the walled child (no
 * other code in it calls chdir), and the kernel holds the working directory by inode: moving
 * or renaming it, or planting symlinks, cannot make it another directory. So while this is
 * set, the working directory IS that directory. Cleared before every chdir, set only after
 * an identity check succeeded.
 */
let here: { dev: number | null; ino: number | null } | null = null;

function chdir(path: string): void {
  here = null;
  try {
    Deno.chdir(path);
  } catch (err) {
    fail(errnoOf(err));
  }
}

function requireHere(expected: DirRef): Deno.FileInfo {
  let st: Deno.FileInfo;
  try {
    st = Deno.statSync(".");
  } catch (err) {
    fail(errnoOf(err));
  }
  if (!sameObject(st, expected)) deny(E.NOTCAPABLE, "identity_check", expected.host);
  here = { dev: st.dev, ino: st.ino };
  return st;
}

/**
 * Makes `dir` the working directory, refusing unless its path still leads to it through real
 * directories only: the directory may have been moved and a symlink planted at its old path
 * that leads to its new place, and its remembered path (which grant checks and the symlink
 * rule measure from) would then be wrong. Returns the directory's metadata.
 */
export function pin(dir: DirRef): Deno.FileInfo {
  chdir(dir.host);
  const st = requireHere(dir);
  let real: string;
  try {
    real = Deno.realPathSync(".");
  } catch (err) {
    fail(errnoOf(err));
  }
  if (real !== dir.host) deny(E.NOTCAPABLE, "identity_check", dir.host);
  return st;
}

/**
 * Like `pin`, for callers that need no metadata. When the working directory is already `dir`
 * (see `here`), only the remembered path is verified, as `pin` verifies it (the directory
 * may have been moved since): realpath of the working directory must be `dir.host`. If it
 * is, `pin` would succeed too (chdir to that canonical path lands on `dir`, the identity and
 * path checks pass), so skipping its chdir and stat changes nothing. If it is not, or the
 * working directory is unknown, `pin` runs in full and fails (or succeeds) as it always did.
 */
export function enter(dir: DirRef): void {
  if (here !== null && here.ino !== null && here.dev === dir.dev && here.ino === dir.ino) {
    let real: string | null = null;
    try {
      real = Deno.realPathSync(".");
    } catch {
      real = null;
    }
    if (real === dir.host) return;
  }
  pin(dir);
}

/** Forgets what the working directory is (tests: as if another chdir had happened). */
export function forgetHere(): void {
  here = null;
}

/** Steps from the working directory into its entry `name`, which must be `expected`. */
export function stepInto(name: string, expected: DirRef): void {
  chdir(name);
  requireHere(expected);
}

/** Steps from the working directory to its parent, which must be `expected`. */
export function stepUp(expected: DirRef): void {
  chdir("..");
  requireHere(expected);
}

/** lstat of an entry of the working directory; null when it does not exist. */
export function lstatHere(name: string): Deno.FileInfo | null {
  try {
    return Deno.lstatSync(name);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    fail(errnoOf(err));
  }
}
