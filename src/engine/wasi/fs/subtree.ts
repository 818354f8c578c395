/**
 * Symlinks carried along when a directory moves: a relative target that stayed inside the
 * grant at the old depth may climb out at a shallower one. Before a directory is moved to
 * another parent, every symlink below it is checked again from its new place.
 * @module
 */
import { E } from "../constants.ts";
import { fail } from "../errno.ts";
import type { Grants } from "../grants.ts";
import { join } from "./walk.ts";

/** Most entries examined before a move is refused (EXDEV: tools fall back to copying). */
export const MAX_SUBTREE_ENTRIES = 10_000;

/**
 * Fails with EPERM when a symlink below the directory `source` (a host path) would point out
 * of its grant once the directory stands at `destination`.
 */
export function requireSubtreeMovable(grants: Grants, source: string, destination: string) {
  let seen = 0;
  const walk = (from: string, to: string) => {
    for (const entry of Deno.readDirSync(from)) {
      if (++seen > MAX_SUBTREE_ENTRIES) fail(E.XDEV);
      const path = join(from, [entry.name]);
      if (entry.isSymlink) grants.requireLinkInside(to, Deno.readLinkSync(path));
      else if (entry.isDirectory) walk(path, join(to, [entry.name]));
    }
  };
  walk(source, destination);
}
