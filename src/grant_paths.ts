/**
 * Pure path questions about directory grants, shared by the WASI host and the parent's
 * symlink broker. Paths are canonical absolute host paths.
 * @module
 */
import type { Access, DirGrant } from "./policy.ts";

/** The parent directory of an absolute host path ("/" for "/" and its children). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

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
  let best: DirGrant | null = null;
  for (const d of dirs) {
    if (!within(path, d.host)) continue;
    if (
      best === null || d.host.length > best.host.length ||
      (d.host.length === best.host.length && d.access === "read-only")
    ) best = d;
  }
  return best?.access ?? null;
}
