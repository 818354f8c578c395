/**
 * path_* calls. Every path is located through pinned directories (fs/walk.ts: wall 1), every
 * mutation passes the grant checks, and the host is only ever asked to act on one name in
 * the pinned working directory — or, for the second directory of a rename or link, on a
 * path checked under the tree lock. Calls that add or remove names hold the tree lock.
 * @module
 */
import { E, FDFLAGS, FT, LOOKUP_SYMLINK_FOLLOW, OFLAGS, R } from "./constants.ts";
import type { WasiContext } from "./context.ts";
import { errnoFromCode, errnoOf, fail } from "./errno.ts";
import { deny } from "./denied.ts";
import { entryType } from "../../report/entry_type.ts";
import { type DirFd, filetypeOf } from "./fd_table.ts";
import { writeFilestat } from "./filestat.ts";
import { createNew, openExisting, tryCreateNew, withOpened } from "./fs/open.ts";
import { lstatHere, sameDir, sameObject } from "./fs/pin.ts";
import { requireSubtreeMovable } from "./fs/subtree.ts";
import { locate, type Located } from "./fs/walk.ts";
import { utf8 } from "./memory.ts";
import { type OpenRights, planOpen } from "./rights.ts";
import { decodeTimes } from "./times.ts";

const existing = (r: Located): Deno.FileInfo => r.stat ?? fail(E.NOENT);
/** The final name of a located path that must name an entry, not its directory. */
const entryName = (r: Located, orElse: number): string => r.name ?? fail(orElse);

function act<T>(body: () => T): T {
  try {
    return body();
  } catch (err) {
    fail(errnoOf(err));
  }
}

function readLinkHere(name: string): string {
  return act(() => Deno.readLinkSync(name));
}

/** The parent's broker answered `code`: a refusal by its own checks is a denial. */
function brokerFailed(code: string, host: string): never {
  const errno = errnoFromCode(code);
  if (code === "EPERM" || code === "ENOTCAPABLE" || code === "EROFS") {
    deny(errno, "symlink_broker", host, undefined, code);
  }
  fail(errno);
}

/** The path family. */
export function pathCalls(ctx: WasiContext) {
  const mem = ctx.memory;
  const dirOf = (fd: number, rights: number): DirFd => ctx.fds.dir(fd, rights);
  const locked = <T>(body: () => T): T => ctx.io.exclusive(body);
  /** `errno` for naming a directory fd itself; a denial when that is a grant's root. */
  const rootRefused = (errno: number, host: string): number =>
    ctx.grants.holdsGrant(host) ? deny(errno, "grant_root", host) : errno;
  /** Runs `body` with the located path, holding the tree lock shared. */
  const reading = <T>(
    fd: number,
    rights: number,
    ptr: number,
    len: number,
    follow: boolean,
    body: (r: Located) => T,
  ): T => {
    const dir = dirOf(fd, rights);
    const path = mem.string(ptr, len);
    return ctx.io.shared(() => body(locate(dir, path, follow)));
  };

  /** Opens (or creates) what `path` names below `dir`; returns the new fd number. */
  function open(
    dir: DirFd,
    path: string,
    follow: boolean,
    oflags: number,
    plan: OpenRights,
    fdflags: number,
  ): number {
    const exclusive = (oflags & OFLAGS.CREAT) !== 0 && (oflags & OFLAGS.EXCL) !== 0;
    const write = plan.write;
    if ((oflags & OFLAGS.CREAT) && !(oflags & OFLAGS.DIRECTORY)) {
      const fd = createFast(dir, path, plan, fdflags);
      if (fd !== null) return fd;
    }
    const r = locate(dir, path, follow);
    const st = r.stat;
    if (st?.isSymlink) fail(exclusive ? E.EXIST : E.LOOP);
    if (oflags & OFLAGS.DIRECTORY) {
      if (st === null) fail(E.NOENT);
      if (!st.isDirectory) fail(E.NOTDIR);
    }
    if (st !== null && exclusive) fail(E.EXIST);
    if (st?.isDirectory) {
      if (write) fail(E.ISDIR);
      return ctx.fds.add({
        kind: "dir",
        host: r.host,
        dev: st.dev ?? 0,
        ino: st.ino ?? 0,
        preopenName: null,
        listing: null,
        rightsBase: plan.dirBase,
        rightsInheriting: plan.dirInheriting,
        fdflags,
      });
    }
    const name = entryName(r, E.ISDIR);
    if (st === null) {
      if (!(oflags & OFLAGS.CREAT)) fail(E.NOENT);
      if (r.mustBeDir) fail(E.ISDIR);
    }
    if (write || st === null) ctx.grants.requireWritable(r.host);
    const read = plan.read;
    let file: Deno.FsFile;
    if (st === null) {
      file = createNew(name, read);
      ctx.changes?.created(r.host, "file");
    } else {
      file = openExisting(name, st, { read, write }, r.host);
      // only now, with the opened object checked, may the open change it
      if (oflags & OFLAGS.TRUNC) {
        try {
          file.truncateSync(0);
        } catch (err) {
          file.close();
          fail(errnoOf(err));
        }
        ctx.changes?.modified(r.host);
      }
    }
    return addFile(r.host, file, st, plan, fdflags);
  }

  /**
   * The create fast path of `open` (O_CREAT, no O_DIRECTORY): when the path's final entry is a
   * plain name in a read-write grant, the file is created with O_CREAT|O_EXCL at once, without
   * looking at the entry first. That is exactly what the full path does when the entry is
   * missing (its checks: the entry's lstat shows nothing, the grant is writable; then the same
   * O_EXCL create). O_EXCL never follows a symlink and fails when anything stands at the name,
   * so a success means the entry was missing; any failure (EEXIST above all) returns null and
   * the full path decides as it always did. Returns the new fd, or null.
   */
  function createFast(dir: DirFd, path: string, plan: OpenRights, fdflags: number): number | null {
    const r = locate(dir, path, false, false);
    if (r.name === null || r.mustBeDir || r.stat !== null) return null;
    if (ctx.grants.accessOf(r.host) !== "read-write") return null;
    const file = tryCreateNew(r.name, plan.read);
    if (file === null) return null;
    ctx.changes?.created(r.host, "file");
    return addFile(r.host, file, null, plan, fdflags);
  }

  /** Adds an opened file (`st` as lstat showed it, null when just created) to the fd table. */
  function addFile(
    host: string,
    file: Deno.FsFile,
    st: Deno.FileInfo | null,
    plan: OpenRights,
    fdflags: number,
  ): number {
    try {
      return ctx.fds.add({
        kind: "file",
        host,
        file,
        filetype: st === null ? FT.REGULAR_FILE : filetypeOf(st),
        rightsBase: plan.fileBase,
        rightsInheriting: plan.fileInheriting,
        fdflags: fdflags & (FDFLAGS.APPEND | FDFLAGS.NONBLOCK | FDFLAGS.SYNC | FDFLAGS.DSYNC |
          FDFLAGS.RSYNC),
      });
    } catch (err) {
      file.close();
      throw err;
    }
  }

  return {
    path_open(
      dirfd: number,
      dirflags: number,
      pathPtr: number,
      pathLen: number,
      oflags: number,
      base: bigint,
      inheriting: bigint,
      fdflags: number,
      out: number,
    ): number {
      mem.check(out, 4); // before anything is created or opened
      const dir = dirOf(dirfd, R.PATH_OPEN);
      const plan = planOpen(dir, base, inheriting, oflags, fdflags);
      if (oflags > 15 || fdflags > 31) return E.INVAL;
      const path = mem.string(pathPtr, pathLen);
      // O_CREAT|O_EXCL never follows a final symlink (POSIX): the link itself "exists".
      const follow = (dirflags & LOOKUP_SYMLINK_FOLLOW) !== 0 &&
        !((oflags & OFLAGS.CREAT) && (oflags & OFLAGS.EXCL));
      const go = () => open(dir, path, follow, oflags, plan, fdflags);
      const fd = oflags & OFLAGS.CREAT ? locked(go) : ctx.io.shared(go);
      mem.u32(out, fd);
      return E.SUCCESS;
    },

    path_filestat_get(fd: number, flags: number, ptr: number, len: number, buf: number): number {
      const follow = (flags & LOOKUP_SYMLINK_FOLLOW) !== 0;
      const st = reading(fd, R.PATH_FILESTAT_GET, ptr, len, follow, existing);
      writeFilestat(mem, buf, st, ctx.times);
      return E.SUCCESS;
    },

    path_filestat_set_times(
      fd: number,
      flags: number,
      ptr: number,
      len: number,
      atim: bigint,
      mtim: bigint,
      fst: number,
    ): number {
      const follow = (flags & LOOKUP_SYMLINK_FOLLOW) !== 0;
      const req = decodeTimes(atim, mtim, fst);
      return reading(fd, R.PATH_FILESTAT_SET_TIMES, ptr, len, follow, (r) => {
        const st = existing(r);
        ctx.grants.requireWritable(r.host);
        const name = r.name;
        if (st.isSymlink && name !== null) {
          // a symlink's own times: Deno has no lutime, the broker sets them
          let first = true;
          const current = () => first ? (first = false, st) : lstatHere(name) ?? fail(E.NOENT);
          ctx.times.apply(req, current, (a, m) => {
            const err = ctx.io.lutimes(r.dir, name, a, m);
            if (err !== null) brokerFailed(err, r.host);
          });
          return E.SUCCESS;
        }
        // through the opened, checked object: never through a name swapped meanwhile
        withOpened(name ?? ".", st, (file) => {
          ctx.times.apply(req, () => file.statSync(), (a, m) => act(() => file.utimeSync(a, m)));
        });
        return E.SUCCESS;
      });
    },

    path_create_directory(fd: number, ptr: number, len: number): number {
      const dir = dirOf(fd, R.PATH_CREATE_DIRECTORY);
      const path = mem.string(ptr, len);
      return locked(() => {
        const r = locate(dir, path, false);
        if (r.stat !== null) return E.EXIST;
        ctx.grants.requireWritable(r.host);
        act(() => Deno.mkdirSync(entryName(r, E.EXIST)));
        ctx.changes?.created(r.host, "dir");
        return E.SUCCESS;
      });
    },

    path_unlink_file(fd: number, ptr: number, len: number): number {
      const dir = dirOf(fd, R.PATH_UNLINK_FILE);
      const path = mem.string(ptr, len);
      return locked(() => {
        const r = locate(dir, path, false);
        const st = existing(r);
        if (st.isDirectory) return E.ISDIR;
        ctx.grants.requireRemovable(r.host);
        act(() => Deno.removeSync(entryName(r, E.ISDIR)));
        ctx.changes?.deleted(r.host, entryType(st));
        return E.SUCCESS;
      });
    },

    path_remove_directory(fd: number, ptr: number, len: number): number {
      const dir = dirOf(fd, R.PATH_REMOVE_DIRECTORY);
      const path = mem.string(ptr, len);
      return locked(() => {
        const r = locate(dir, path, false);
        if (r.isRoot) return rootRefused(E.INVAL, r.host);
        const st = existing(r);
        if (!st.isDirectory) return E.NOTDIR;
        ctx.grants.requireRemovable(r.host);
        act(() => Deno.removeSync(entryName(r, E.INVAL)));
        ctx.changes?.deleted(r.host, "dir");
        return E.SUCCESS;
      });
    },

    path_rename(
      oldFd: number,
      oldPtr: number,
      oldLen: number,
      newFd: number,
      newPtr: number,
      newLen: number,
    ): number {
      const oldDir = dirOf(oldFd, R.PATH_RENAME_SOURCE);
      const newDir = dirOf(newFd, R.PATH_RENAME_TARGET);
      const oldPath = mem.string(oldPtr, oldLen);
      const newPath = mem.string(newPtr, newLen);
      return locked(() => {
        const from = locate(oldDir, oldPath, false);
        if (from.isRoot || from.name === null) return rootRefused(E.BUSY, from.host);
        const st = existing(from);
        const linkTarget = st.isSymlink ? readLinkHere(from.name) : null;
        const to = locate(newDir, newPath, false);
        if (to.isRoot || to.name === null) return rootRefused(E.BUSY, to.host);
        if ((from.mustBeDir || to.mustBeDir) && !st.isDirectory) return E.NOTDIR;
        ctx.grants.requireRemovable(from.host);
        ctx.grants.requireWritable(to.host);
        if (to.stat !== null) ctx.grants.requireRemovable(to.host);
        const oneDir = sameDir(from.dir, to.dir);
        // what a symlink points at depends on where it stands: check it from its new place
        if (linkTarget !== null) ctx.grants.requireLinkInside(to.dir.host, linkTarget, to.host);
        if (!oneDir && st.isDirectory) requireSubtreeMovable(ctx.grants, from.host, to.host);
        // The target is the pinned working directory's entry; a source in another directory
        // is named by the path checked just now, under the tree lock.
        act(() => Deno.renameSync(oneDir ? from.name! : from.host, to.name!));
        if (ctx.changes !== null && from.host !== to.host) {
          if (to.stat !== null) ctx.changes.deleted(to.host, entryType(to.stat));
          ctx.changes.renamed(from.host, to.host, entryType(st));
        }
        return E.SUCCESS;
      });
    },

    path_link(
      oldFd: number,
      oldFlags: number,
      oldPtr: number,
      oldLen: number,
      newFd: number,
      newPtr: number,
      newLen: number,
    ): number {
      const oldDir = dirOf(oldFd, R.PATH_LINK_SOURCE);
      const newDir = dirOf(newFd, R.PATH_LINK_TARGET);
      const oldPath = mem.string(oldPtr, oldLen);
      const newPath = mem.string(newPtr, newLen);
      return locked(() => {
        const from = locate(oldDir, oldPath, (oldFlags & LOOKUP_SYMLINK_FOLLOW) !== 0);
        const st = existing(from);
        if (st.isDirectory || from.name === null) return E.PERM;
        const linkTarget = st.isSymlink ? readLinkHere(from.name) : null;
        const to = locate(newDir, newPath, false);
        if (to.stat !== null) return E.EXIST;
        if (to.mustBeDir || to.name === null) return E.NOENT;
        ctx.grants.requireWritable(to.host);
        if (ctx.grants.accessOf(from.host) !== "read-write") {
          deny(E.XDEV, "read_only_grant", from.host, undefined, "a hard link's source");
        }
        if (linkTarget !== null) ctx.grants.requireLinkInside(to.dir.host, linkTarget, to.host);
        const oneDir = sameDir(from.dir, to.dir);
        const name = to.name;
        act(() => Deno.linkSync(oneDir ? from.name! : from.host, name));
        // link(2) never follows the source: if it was swapped meanwhile, undo and refuse
        const made = lstatHere(name);
        if (made === null || !sameObject(made, st)) {
          if (made !== null) act(() => Deno.removeSync(name));
          deny(E.NOTCAPABLE, "identity_check", from.host);
        }
        ctx.changes?.created(to.host, entryType(made), from.host);
        return E.SUCCESS;
      });
    },

    path_readlink(
      fd: number,
      ptr: number,
      len: number,
      buf: number,
      bufLen: number,
      used: number,
    ): number {
      const link = reading(fd, R.PATH_READLINK, ptr, len, false, (r) => {
        if (!existing(r).isSymlink || r.name === null) return null;
        return readLinkHere(r.name);
      });
      if (link === null) return E.INVAL;
      const target = utf8(link);
      const n = Math.min(target.length, bufLen);
      mem.bytes(buf, n).set(target.subarray(0, n));
      mem.u32(used, n);
      return E.SUCCESS;
    },

    path_symlink(oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number) {
      const target = mem.string(oldPtr, oldLen);
      const dir = dirOf(fd, R.PATH_SYMLINK);
      const path = mem.string(newPtr, newLen);
      if (target === "" || target.includes("\0")) return E.NOENT;
      // Like wasmtime: no absolute targets. The guest could never follow one, but a host
      // program reading the workspace afterwards would.
      if (target.startsWith("/")) {
        deny(E.PERM, "symlink_escape", dir.host, path, `absolute target ${target}`);
      }
      return locked(() => {
        const r = locate(dir, path, false);
        if (r.stat !== null) return E.EXIST;
        if (r.mustBeDir || r.name === null) return E.NOENT;
        ctx.grants.requireWritable(r.host);
        ctx.grants.requireSymlinkAllowed(r.dir.host, target, r.host);
        const err = ctx.io.symlink(target, r.dir, r.name);
        if (err !== null) brokerFailed(err, r.host);
        ctx.changes?.created(r.host, "symlink");
        return E.SUCCESS;
      });
    },
  };
}
