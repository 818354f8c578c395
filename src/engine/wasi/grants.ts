/**
 * Grant checks for the WASI host. The innermost grant wins, so a read-only grant inside a
 * read-write one stays read-only (and the reverse).
 * @module
 */
import { grantAt, symlinkStaysWithin, within } from "../../grant_paths.ts";
import type { Access, DirGrant } from "../../policy.ts";
import { E } from "./constants.ts";
import { deny } from "./denied.ts";

/** What a guest may do with symlinks: create those that stay inside, or none at all. */
export type SymlinkMode = "inside" | "deny";

/** Answers access questions about canonical host paths. */
export class Grants {
  readonly #dirs: DirGrant[];
  readonly #held: string[];
  readonly #readOnly: string[];
  /** The run's symlink rule. */
  readonly symlinks: SymlinkMode;

  /**
   * `held` are host paths that must never be moved or removed although they may lie in a
   * grant (the tree lock file shared by concurrent runs); `readOnly` are directories inside
   * read-write grants that stay read-only (and, like grant roots, cannot be moved).
   */
  constructor(
    dirs: DirGrant[],
    symlinks: SymlinkMode = "inside",
    held: string[] = [],
    readOnly: string[] = [],
  ) {
    this.#dirs = dirs;
    this.#held = held;
    this.#readOnly = readOnly;
    this.symlinks = symlinks;
  }

  /**
   * The access of the innermost grant that contains `host`, or null outside every grant;
   * read-only below a directory that must stay read-only (`readOnly`).
   */
  accessOf(host: string): Access | null {
    const access = grantAt(this.#dirs, host)?.access ?? null;
    if (access === "read-write" && this.#readOnly.some((p) => within(host, p))) {
      return "read-only";
    }
    return access;
  }

  /** True when `host` is a grant's root or an ancestor of one (like a mount point). */
  holdsGrant(host: string): boolean {
    return this.#dirs.some((d) => within(d.host, host)) ||
      this.#held.some((p) => within(p, host)) || this.#readOnly.some((p) => within(p, host));
  }

  /** Fails with EROFS unless `host` lies in a read-write grant. */
  requireWritable(host: string): void {
    const access = this.accessOf(host);
    if (access === null) deny(E.NOTCAPABLE, "outside_grant", host);
    if (access !== "read-write") {
      const within = grantAt(this.#dirs, host)?.access === "read-write";
      deny(E.ROFS, within ? "read_only_within" : "read_only_grant", host);
    }
  }

  /** Like requireWritable, and also refuses to move or delete a grant root or its ancestor. */
  requireRemovable(host: string): void {
    this.requireWritable(host);
    if (this.holdsGrant(host)) deny(E.BUSY, "grant_root", host);
  }

  /**
   * Fails with EPERM unless a symlink with `target` may stand in the directory `linkDir`:
   * symlinks are allowed and the target cannot lead out of the grant holding `linkDir`.
   * `at` is the link's own host path (for the denial report).
   */
  requireSymlinkAllowed(linkDir: string, target: string, at = linkDir): void {
    if (this.symlinks === "deny") deny(E.PERM, "symlinks_deny", at);
    this.requireLinkInside(linkDir, target, at);
  }

  /**
   * Fails with EPERM unless an existing symlink with `target` may be moved or hard-linked into
   * `linkDir`: from there it cannot lead out of the grant holding `linkDir`. Checked on every
   * move, within one directory too, so that a link the host planted (one that leads out) can
   * never be moved into the place of another run's grant.
   */
  requireLinkInside(linkDir: string, target: string, at = linkDir): void {
    const grant = grantAt(this.#dirs, linkDir);
    if (grant === null || !symlinkStaysWithin(linkDir, target, grant.host)) {
      deny(E.PERM, "symlink_escape", at, undefined, `target ${target}`);
    }
  }
}
