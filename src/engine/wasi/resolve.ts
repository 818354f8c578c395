/**
 * Path resolution inside a directory capability, one component at a time.
 * Symlinks are read and followed by wasp itself, never by the host: a link whose target
 * is absolute or climbs above the starting directory is refused with ENOTCAPABLE.
 * @module
 */
import { E, MAX_SYMLINKS } from "./constants.ts";
import { errnoOf, fail } from "./errno.ts";

/** The outcome of resolving a guest path. */
export interface Resolved {
  /** Canonical absolute host path (every component a real directory, no symlinks). */
  host: string;
  /** lstat of the final component, or null when it does not exist. */
  stat: Deno.FileInfo | null;
  /** The path ended in "/" (or "/."), so the final component must be a directory. */
  mustBeDir: boolean;
  /** True when the path named the starting directory itself (".", "a/.."). */
  isRoot: boolean;
}

/** `root` joined with path components (root may be "/"). */
export function join(root: string, parts: string[]): string {
  if (parts.length === 0) return root;
  return (root === "/" ? "" : root) + "/" + parts.join("/");
}

function lstat(path: string): Deno.FileInfo | null {
  try {
    return Deno.lstatSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    fail(errnoOf(err));
  }
}

/** Fails unless `host` is its own canonical path (no symlink anywhere in it any more). */
export function requireCanonical(host: string): void {
  let real: string;
  try {
    real = Deno.realPathSync(host);
  } catch (err) {
    fail(errnoOf(err));
  }
  if (real !== host) fail(E.NOTCAPABLE);
}

/**
 * Resolves `path` relative to the directory `root` (a canonical host path).
 * `follow` says whether a symlink in the final position is followed.
 */
export function resolvePath(root: string, path: string, follow: boolean): Resolved {
  if (path === "") fail(E.NOENT);
  if (path.includes("\0")) fail(E.INVAL);
  if (path.startsWith("/")) fail(E.NOTCAPABLE);
  let mustBeDir = /\/\.?$/.test(path) || path === ".";
  const pending = path.split("/").filter((c) => c !== "" && c !== ".");
  const stack: string[] = [];
  let stat: Deno.FileInfo | null = null;
  let statValid = false;
  let links = 0;
  while (pending.length > 0) {
    const c = pending.shift()!;
    if (c === ".") continue;
    if (c === "..") {
      if (stack.length === 0) fail(E.NOTCAPABLE);
      stack.pop();
      statValid = false;
      continue;
    }
    const last = pending.length === 0;
    const host = join(root, stack.concat(c));
    const st = lstat(host);
    if (st === null) {
      if (!last) fail(E.NOENT);
      stack.push(c);
      stat = null;
      statValid = true;
      break;
    }
    if (st.isSymlink && (!last || follow || mustBeDir)) {
      if (++links > MAX_SYMLINKS) fail(E.LOOP);
      let target: string;
      try {
        target = Deno.readLinkSync(host);
      } catch (err) {
        fail(errnoOf(err));
      }
      if (target === "") fail(E.NOENT);
      if (target.startsWith("/")) fail(E.NOTCAPABLE);
      if (last && /\/\.?$/.test(target)) mustBeDir = true;
      pending.unshift(...target.split("/").filter((p) => p !== "" && p !== "."));
      if (pending.length === 0) statValid = false;
      continue;
    }
    if (!last && !st.isDirectory) fail(E.NOTDIR);
    stack.push(c);
    stat = st;
    statValid = true;
  }
  const host = join(root, stack);
  if (!statValid) stat = lstat(host);
  if (stat === null && stack.length === 0) fail(E.NOENT);
  if (mustBeDir && stat !== null && !stat.isDirectory) fail(E.NOTDIR);
  return { host, stat, mustBeDir, isRoot: stack.length === 0 };
}
