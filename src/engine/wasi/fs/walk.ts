/**
 * Path resolution inside a directory capability, one component at a time, through pinned
 * directories (see pin.ts). Symlinks are read and followed by wasp itself, never by the
 * kernel: a target that is absolute or climbs above the starting directory is refused with
 * ENOTCAPABLE. When `locate` returns, the working directory is the directory holding the
 * final entry, and the caller acts on that single name at once.
 * @module
 */
import { E, MAX_SYMLINKS } from "../constants.ts";
import { errnoOf, fail } from "../errno.ts";
import { deny } from "../denied.ts";
import { type DirRef, enter, lstatHere, stepInto, stepUp } from "./pin.ts";

/** Where a guest path leads; the working directory is `dir` when this is returned. */
export interface Located {
  /** The pinned directory holding the final entry (the working directory). */
  dir: DirRef;
  /** The final entry's name in `dir`, or null when the path names `dir` itself. */
  name: string | null;
  /** Canonical host path of what the path names (for grant checks and messages). */
  host: string;
  /** lstat of the final entry (stat of `dir` when `name` is null); null when missing. */
  stat: Deno.FileInfo | null;
  /** The path ended in "/" (or "/."), so what it names must be a directory. */
  mustBeDir: boolean;
  /** The path named the starting directory itself (".", "a/.."). */
  isRoot: boolean;
}

/** `root` joined with path components (root may be "/"). */
export function join(root: string, parts: string[]): string {
  if (parts.length === 0) return root;
  return (root === "/" ? "" : root) + "/" + parts.join("/");
}

function components(path: string): string[] {
  return path.split("/").filter((c) => c !== "" && c !== ".");
}

function readLinkHere(name: string): string {
  try {
    return Deno.readLinkSync(name);
  } catch (err) {
    fail(errnoOf(err));
  }
}

/**
 * Resolves `path` relative to the directory `start`. `follow` says whether a symlink in the
 * final position is followed. With `probeLast` false, a final entry named by a plain name is
 * not looked at: `stat` is then null without meaning that it is missing (for callers that
 * act on it with O_CREAT|O_EXCL, which never follows a symlink and fails if anything stands
 * there).
 */
export function locate(start: DirRef, path: string, follow: boolean, probeLast = true): Located {
  if (path === "") fail(E.NOENT);
  if (path.includes("\0")) fail(E.INVAL);
  if (path.startsWith("/")) deny(E.NOTCAPABLE, "outside_grant", start.host, path, "absolute path");
  let mustBeDir = /\/\.?$/.test(path) || path === ".";
  const pending = components(path);
  const stack: DirRef[] = [start];
  let links = 0;
  enter(start);
  while (pending.length > 0) {
    const c = pending.shift()!;
    const top = stack[stack.length - 1];
    if (c === "..") {
      if (stack.length === 1) {
        const how = links > 0 ? "a symlink on the way climbs" : ".. climbs";
        deny(E.NOTCAPABLE, "outside_grant", start.host, path, `${how} above it`);
      }
      stack.pop();
      stepUp(stack[stack.length - 1]);
      continue;
    }
    const last = pending.length === 0;
    if (last && !probeLast) {
      return { dir: top, name: c, host: join(top.host, [c]), stat: null, mustBeDir, isRoot: false };
    }
    const st = lstatHere(c);
    if (st === null) {
      if (!last) fail(E.NOENT);
      return { dir: top, name: c, host: join(top.host, [c]), stat: null, mustBeDir, isRoot: false };
    }
    if (st.isSymlink && (!last || follow || mustBeDir)) {
      if (++links > MAX_SYMLINKS) fail(E.LOOP);
      const target = readLinkHere(c);
      if (target === "") fail(E.NOENT);
      if (target.startsWith("/")) {
        deny(E.NOTCAPABLE, "outside_grant", start.host, path, `symlink ${c} -> ${target}`);
      }
      if (last && /\/\.?$/.test(target)) mustBeDir = true;
      pending.unshift(...components(target));
      continue;
    }
    if (last) {
      if (mustBeDir && !st.isDirectory) fail(E.NOTDIR);
      return { dir: top, name: c, host: join(top.host, [c]), stat: st, mustBeDir, isRoot: false };
    }
    if (!st.isDirectory) fail(E.NOTDIR);
    const next = { host: join(top.host, [c]), dev: st.dev ?? 0, ino: st.ino ?? 0 };
    stepInto(c, next);
    stack.push(next);
  }
  const top = stack[stack.length - 1];
  let here: Deno.FileInfo;
  try {
    here = Deno.statSync(".");
  } catch (err) {
    fail(errnoOf(err));
  }
  return {
    dir: top,
    name: null,
    host: top.host,
    stat: here,
    mustBeDir,
    isRoot: stack.length === 1,
  };
}
