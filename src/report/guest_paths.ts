/**
 * Host paths back to the names the guest uses: a path inside a grant is shown below the
 * grant's guest path (the innermost grant wins, as for access).
 * @module
 */
import { grantAt } from "../grant_paths.ts";
import type { DirGrant } from "../policy.ts";

/** The guest's name for the host path `host` (the host path itself when no grant holds it). */
export function guestPathOf(dirs: readonly DirGrant[], host: string): string {
  const grant = grantAt(dirs, host);
  if (grant === null) return host;
  const rest = host.slice(grant.host === "/" ? 0 : grant.host.length);
  if (rest === "") return grant.guest;
  return grant.guest.endsWith("/") ? grant.guest + rest.slice(1) : grant.guest + rest;
}

/**
 * The guest's name for `path` as written relative to the directory `dirHost` (absolute paths
 * stay as written: they never name anything below the directory).
 */
export function guestPathFrom(dirs: readonly DirGrant[], dirHost: string, path: string): string {
  if (path.startsWith("/")) return path;
  const base = guestPathOf(dirs, dirHost);
  if (path === "" || path === ".") return base;
  return base.endsWith("/") ? base + path : `${base}/${path}`;
}
