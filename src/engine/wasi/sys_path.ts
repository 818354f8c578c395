/**
 * path_* calls. Every path goes through `resolvePath` (wall 1) and every mutation
 * through the grant checks; the host is only ever handed canonical paths.
 * @module
 */
import {
  DIR_RIGHTS,
  E,
  FDFLAGS,
  FILE_RIGHTS,
  LOOKUP_SYMLINK_FOLLOW,
  OFLAGS,
  R,
  WRITE_RIGHTS,
} from "./constants.ts";
import type { WasiContext } from "./context.ts";
import { errnoFromCode, fail } from "./errno.ts";
import { dirPath, filetypeOf } from "./fd_table.ts";
import { writeFilestat } from "./filestat.ts";
import { utf8 } from "./memory.ts";
import { requireCanonical, type Resolved, resolvePath } from "./resolve.ts";
import { timesFor } from "./sys_fd_meta.ts";

function rightsOf(v: bigint): number {
  return Number(BigInt.asUintN(64, v) & 0x3fffffffn);
}

/** Refuses a file whose identity changed between resolution and open (a swapped component). */
function verifyOpened(file: Deno.FsFile, host: string): Deno.FileInfo {
  const opened = file.statSync();
  let same = false;
  try {
    const now = Deno.lstatSync(host);
    same = Deno.realPathSync(host) === host && now.ino === opened.ino && now.dev === opened.dev;
  } catch {
    same = false;
  }
  if (!same) {
    file.close();
    fail(E.NOTCAPABLE);
  }
  return opened;
}

/** The path family. */
export function pathCalls(ctx: WasiContext) {
  const mem = ctx.memory;
  const at = (fd: number, rights: number, ptr: number, len: number, follow: boolean) => {
    const dir = ctx.fds.dir(fd, rights);
    return resolvePath(dirPath(dir), mem.string(ptr, len), follow);
  };
  const existing = (r: Resolved): Deno.FileInfo => r.stat ?? fail(E.NOENT);

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
      const dir = ctx.fds.dir(dirfd, R.PATH_OPEN);
      const reqBase = rightsOf(base);
      const reqInh = rightsOf(inheriting);
      if ((reqBase | reqInh) & ~dir.rightsInheriting) return E.NOTCAPABLE;
      if (oflags & OFLAGS.CREAT && !(dir.rightsBase & R.PATH_CREATE_FILE)) return E.NOTCAPABLE;
      if (oflags > 15 || fdflags > 31) return E.INVAL;
      // O_CREAT|O_EXCL never follows a final symlink (POSIX): the link itself "exists".
      const exclusive = (oflags & OFLAGS.CREAT) !== 0 && (oflags & OFLAGS.EXCL) !== 0;
      const r = resolvePath(
        dirPath(dir),
        mem.string(pathPtr, pathLen),
        (dirflags & LOOKUP_SYMLINK_FOLLOW) !== 0 && !exclusive,
      );
      const wantsWrite = (reqBase & WRITE_RIGHTS) !== 0 || (oflags & OFLAGS.TRUNC) !== 0;
      const st = r.stat;
      if (st?.isSymlink) return exclusive ? E.EXIST : E.LOOP;
      if (oflags & OFLAGS.DIRECTORY) {
        if (st === null) return E.NOENT;
        if (!st.isDirectory) return E.NOTDIR;
      }
      if (st !== null && oflags & OFLAGS.CREAT && oflags & OFLAGS.EXCL) return E.EXIST;
      if (st?.isDirectory) {
        if (wantsWrite) return E.ISDIR;
        requireCanonical(r.host);
        mem.u32(
          out,
          ctx.fds.add({
            kind: "dir",
            host: r.host,
            preopenName: null,
            listing: null,
            rightsBase: reqBase & DIR_RIGHTS,
            rightsInheriting: reqInh,
            fdflags,
          }),
        );
        return E.SUCCESS;
      }
      if (st === null) {
        if (!(oflags & OFLAGS.CREAT)) return E.NOENT;
        if (r.mustBeDir) return E.ISDIR;
      }
      if (wantsWrite || st === null) ctx.grants.requireWritable(r.host);
      const read = (reqBase & R.FD_READ) !== 0 || !wantsWrite;
      const file = Deno.openSync(r.host, {
        read,
        write: wantsWrite || st === null,
        createNew: st === null,
        truncate: st !== null && (oflags & OFLAGS.TRUNC) !== 0,
      });
      const opened = verifyOpened(file, r.host);
      mem.u32(
        out,
        ctx.fds.add({
          kind: "file",
          host: r.host,
          file,
          filetype: filetypeOf(opened),
          rightsBase: reqBase & FILE_RIGHTS,
          rightsInheriting: reqInh & FILE_RIGHTS,
          fdflags: fdflags & (FDFLAGS.APPEND | FDFLAGS.NONBLOCK | FDFLAGS.SYNC | FDFLAGS.DSYNC |
            FDFLAGS.RSYNC),
        }),
      );
      return E.SUCCESS;
    },

    path_filestat_get(fd: number, flags: number, ptr: number, len: number, buf: number): number {
      const r = at(fd, R.PATH_FILESTAT_GET, ptr, len, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0);
      writeFilestat(mem, buf, existing(r));
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
      const r = at(fd, R.PATH_FILESTAT_SET_TIMES, ptr, len, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0);
      const st = existing(r);
      if (st.isSymlink) return E.NOTSUP;
      ctx.grants.requireWritable(r.host);
      const [a, m] = timesFor(atim, mtim, fst, () => st);
      Deno.utimeSync(r.host, a, m);
      return E.SUCCESS;
    },

    path_create_directory(fd: number, ptr: number, len: number): number {
      const r = at(fd, R.PATH_CREATE_DIRECTORY, ptr, len, false);
      if (r.stat !== null) return E.EXIST;
      ctx.grants.requireWritable(r.host);
      Deno.mkdirSync(r.host);
      return E.SUCCESS;
    },

    path_unlink_file(fd: number, ptr: number, len: number): number {
      const r = at(fd, R.PATH_UNLINK_FILE, ptr, len, false);
      const st = existing(r);
      if (st.isDirectory) return E.ISDIR;
      ctx.grants.requireRemovable(r.host);
      Deno.removeSync(r.host);
      return E.SUCCESS;
    },

    path_remove_directory(fd: number, ptr: number, len: number): number {
      const r = at(fd, R.PATH_REMOVE_DIRECTORY, ptr, len, false);
      if (r.isRoot) return E.INVAL;
      const st = existing(r);
      if (!st.isDirectory) return E.NOTDIR;
      ctx.grants.requireRemovable(r.host);
      Deno.removeSync(r.host);
      return E.SUCCESS;
    },

    path_rename(
      oldFd: number,
      oldPtr: number,
      oldLen: number,
      newFd: number,
      newPtr: number,
      newLen: number,
    ): number {
      const from = at(oldFd, R.PATH_RENAME_SOURCE, oldPtr, oldLen, false);
      const to = at(newFd, R.PATH_RENAME_TARGET, newPtr, newLen, false);
      if (from.isRoot || to.isRoot) return E.BUSY;
      const st = existing(from);
      if ((from.mustBeDir || to.mustBeDir) && !st.isDirectory) return E.NOTDIR;
      ctx.grants.requireRemovable(from.host);
      ctx.grants.requireWritable(to.host);
      if (to.stat !== null) ctx.grants.requireRemovable(to.host);
      Deno.renameSync(from.host, to.host);
      return E.SUCCESS;
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
      const from = at(
        oldFd,
        R.PATH_LINK_SOURCE,
        oldPtr,
        oldLen,
        (oldFlags & LOOKUP_SYMLINK_FOLLOW) !== 0,
      );
      const to = at(newFd, R.PATH_LINK_TARGET, newPtr, newLen, false);
      const st = existing(from);
      if (st.isDirectory) return E.PERM;
      if (to.stat !== null) return E.EXIST;
      if (to.mustBeDir) return E.NOENT;
      ctx.grants.requireWritable(to.host);
      if (ctx.grants.accessOf(from.host) !== "read-write") return E.XDEV;
      Deno.linkSync(from.host, to.host);
      return E.SUCCESS;
    },

    path_readlink(
      fd: number,
      ptr: number,
      len: number,
      buf: number,
      bufLen: number,
      used: number,
    ): number {
      const r = at(fd, R.PATH_READLINK, ptr, len, false);
      if (!existing(r).isSymlink) return E.INVAL;
      const target = utf8(Deno.readLinkSync(r.host));
      const n = Math.min(target.length, bufLen);
      mem.bytes(buf, n).set(target.subarray(0, n));
      mem.u32(used, n);
      return E.SUCCESS;
    },

    path_symlink(oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number) {
      const target = mem.string(oldPtr, oldLen);
      const r = at(fd, R.PATH_SYMLINK, newPtr, newLen, false);
      if (target === "" || target.includes("\0")) return E.NOENT;
      // Like wasmtime and the WASI filesystem rules: no absolute targets. The guest could never
      // follow one, but a host program reading the workspace afterwards would.
      if (target.startsWith("/")) return E.PERM;
      if (r.stat !== null) return E.EXIST;
      if (r.mustBeDir) return E.NOENT;
      ctx.grants.requireWritable(r.host);
      const err = ctx.io.symlink(target, r.host);
      return err === null ? E.SUCCESS : errnoFromCode(err);
    },
  };
}
