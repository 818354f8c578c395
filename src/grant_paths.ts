/**
 * Pure path questions about directory grants, shared by the WASI host and the parent's
 * symlink broker. Paths are canonical absolute host paths.
 * @module
 */
import type { Access, DirGrant } from "./policy.ts";

/** True when `path` is `root` or lies below it. */
export function within(path: string, root: string): boolean {
  if (root === "/") return path.startsWith("/");
  return path === root || path.startsWith(root + "/");
}

/**
 * The access of the innermost grant containing `path` (read-only wins a tie), or null
 * when no grant contains it.
 */
export function accessAt(dirs: readonly DirGrant[], path: string): Access | null {
  return grantAt(dirs, path)?.access ?? null;
}

/** The innermost grant containing `path` (read-only wins a tie), or null. */
export function grantAt(dirs: readonly DirGrant[], path: string): DirGrant | null {
  let best: DirGrant | null = null;
  for (const d of dirs) {
    if (!within(path, d.host)) continue;
    if (
      best === null || d.host.length > best.host.length ||
      (d.host.length === best.host.length && d.access === "read-only")
    ) best = d;
  }
  return best;
}

/** How many directories `path` lies below `root` (0 for the root itself). */
export function depthBelow(path: string, root: string): number {
  if (path === root) return 0;
  return path.slice(root === "/" ? 1 : root.length + 1).split("/").length;
}

/**
 * True when a symlink whose directory is `linkDir` (canonical) and whose target is `target`
 * cannot lead out of `root`, read from the link's own place by anyone, host programs
 * included. The target must be relative, and every `..` must come before the first name:
 * the climb then runs through real directories only, and at most to `root`. (A `..` after a
 * name could climb out of wherever a symlink named earlier leads.)
 */
export function symlinkStaysWithin(linkDir: string, target: string, root: string): boolean {
  if (target.startsWith("/") || !within(linkDir, root)) return false;
  let climb = 0;
  let named = false;
  for (const c of target.split("/")) {
    if (c === "" || c === ".") continue;
    if (c !== "..") named = true;
    else if (named) return false;
    else climb++;
  }
  return climb <= depthBelow(linkDir, root);
}
