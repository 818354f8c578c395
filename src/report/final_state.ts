/**
 * Reading back the final state of an entry the change log names (size and SHA-256 of a
 * regular file, a symlink's target) at the end of a run. Goes through the race-free path
 * layer like every guest operation: from the grant's pinned root, one name at a time, the
 * file opened and checked by identity before it is read — so a directory swapped for a
 * symlink meanwhile cannot make wasp hash (and report) a file outside the grant.
 * @module
 */
import type { EngineIo } from "../engine/mod.ts";
import { openExisting } from "../engine/wasi/fs/open.ts";
import { refOf } from "../engine/wasi/fs/pin.ts";
import { locate } from "../engine/wasi/fs/walk.ts";
import { grantAt } from "../grant_paths.ts";
import type { DirGrant } from "../policy.ts";
import type { FinalState, StateReader } from "./changes.ts";

/** Bytes hashed per read. */
const CHUNK = 1024 * 1024;

/** A StateReader over the grants `dirs`, holding the tree lock shared through `io`. */
export function finalStateReader(dirs: readonly DirGrant[], io: EngineIo): StateReader {
  let hashOf: ((file: Deno.FsFile) => string) | null = null;
  return async (host: string): Promise<FinalState | null> => {
    const grant = grantAt(dirs, host);
    if (grant === null) return null;
    if (hashOf === null) {
      // loaded only when a run asks for its changes
      const { createHash } = await import("node:crypto");
      hashOf = (file) => {
        const hash = createHash("sha256");
        const buf = new Uint8Array(CHUNK);
        for (;;) {
          const n = file.readSync(buf);
          if (n === null || n === 0) break;
          hash.update(buf.subarray(0, n));
        }
        return hash.digest("hex");
      };
    }
    const hash = hashOf;
    const rel = host === grant.host ? "." : host.slice(grant.host.length + 1);
    return io.shared((): FinalState | null => {
      const r = locate(refOf(grant.host), rel, false);
      const st = r.stat;
      if (st === null) return null;
      if (r.name === null || st.isDirectory) return { type: "dir" };
      if (st.isSymlink) return { type: "symlink", target: Deno.readLinkSync(r.name) };
      if (!st.isFile) return { type: "other" };
      const file = openExisting(r.name, st, { read: true, write: false });
      try {
        return { type: "file", size: file.statSync().size, sha256: hash(file) };
      } finally {
        file.close();
      }
    });
  };
}
