/**
 * Grant checks for the WASI host. The innermost grant wins, so a read-only grant inside a
 * read-write one stays read-only (and the reverse).
 * @module
 */
import { accessAt, within } from "../../grant_paths.ts";
import type { Access, DirGrant } from "../../policy.ts";
import { E } from "./constants.ts";
import { fail } from "./errno.ts";

/** Answers access questions about canonical host paths. */
export class Grants {
  readonly #dirs: DirGrant[];

  constructor(dirs: DirGrant[]) {
    this.#dirs = dirs;
  }

  /** The access of the innermost grant that contains `host`, or null outside every grant. */
  accessOf(host: string): Access | null {
    return accessAt(this.#dirs, host);
  }

  /** True when `host` is a grant's root or an ancestor of one (like a mount point). */
  holdsGrant(host: string): boolean {
    return this.#dirs.some((d) => within(d.host, host));
  }

  /** Fails with EROFS unless `host` lies in a read-write grant. */
  requireWritable(host: string): void {
    const access = this.accessOf(host);
    if (access === null) fail(E.NOTCAPABLE);
    if (access !== "read-write") fail(E.ROFS);
  }

  /** Like requireWritable, and also refuses to move or delete a grant root or its ancestor. */
  requireRemovable(host: string): void {
    this.requireWritable(host);
    if (this.holdsGrant(host)) fail(E.BUSY);
  }
}
