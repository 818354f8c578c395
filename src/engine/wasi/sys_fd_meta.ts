/**
 * fd_* calls about metadata: fdstat, filestat, prestat and readdir.
 * @module
 */
import { E, FDFLAGS, FT, R } from "./constants.ts";
import type { WasiContext } from "./context.ts";
import { fileTooBig } from "./sys_fd_io.ts";
import { errnoOf } from "./errno.ts";
import type { DirEntry, DirFd } from "./fd_table.ts";
import { filetypeOf } from "./fd_table.ts";
import { writeFilestat, writeStreamFilestat } from "./filestat.ts";
import { withOpened } from "./fs/open.ts";
import { lstatHere, pin } from "./fs/pin.ts";
import { utf8 } from "./memory.ts";
import { decodeTimes } from "./times.ts";

const FDFLAGS_ALL = FDFLAGS.APPEND | FDFLAGS.DSYNC | FDFLAGS.NONBLOCK | FDFLAGS.RSYNC |
  FDFLAGS.SYNC;

/** The entries of a pinned directory, "." and ".." first; names are read relative to it. */
function listing(ctx: WasiContext, d: DirFd): DirEntry[] {
  const self = BigInt(pin(d).ino ?? 0);
  const isPreopenRoot = d.preopenName !== null || ctx.grants.holdsGrant(d.host);
  let parentIno = self;
  if (!isPreopenRoot) {
    try {
      parentIno = BigInt(Deno.lstatSync("..").ino ?? 0);
    } catch {
      // the parent is out of reach: report the directory itself, as for a root
    }
  }
  const out: DirEntry[] = [
    { name: utf8("."), ino: self, filetype: FT.DIRECTORY },
    { name: utf8(".."), ino: parentIno, filetype: FT.DIRECTORY },
  ];
  for (const entry of Deno.readDirSync(".")) {
    let ino = 0n;
    let filetype: number = FT.UNKNOWN;
    try {
      const st = lstatHere(entry.name);
      if (st === null) throw new Error("vanished");
      ino = BigInt(st.ino ?? 0);
      filetype = filetypeOf(st);
    } catch {
      // vanished between listing and lstat: report what readDir said
      filetype = entry.isDirectory
        ? FT.DIRECTORY
        : entry.isSymlink
        ? FT.SYMBOLIC_LINK
        : FT.REGULAR_FILE;
    }
    out.push({ name: utf8(entry.name), ino, filetype });
  }
  return out;
}

/** The fd metadata family. */
export function fdMetaCalls(ctx: WasiContext) {
  const mem = ctx.memory;
  return {
    fd_fdstat_get(fd: number, ptr: number): number {
      mem.check(ptr, 24);
      const e = ctx.fds.get(fd);
      let filetype: number = FT.UNKNOWN;
      if (e.kind === "dir") filetype = FT.DIRECTORY;
      else if (e.kind === "file") filetype = e.filetype;
      mem.bytes(ptr, 24).fill(0);
      mem.u8At(ptr, filetype);
      mem.u16(ptr + 2, e.fdflags);
      mem.u64(ptr + 8, e.rightsBase);
      mem.u64(ptr + 16, e.rightsInheriting);
      return E.SUCCESS;
    },

    fd_fdstat_set_flags(fd: number, flags: number): number {
      const e = ctx.fds.withRights(fd, R.FD_FDSTAT_SET_FLAGS);
      // The same flags path_open accepts; SYNC and DSYNC are honoured by fd_write/fd_pwrite.
      if (flags & ~FDFLAGS_ALL) return E.INVAL;
      if (e.kind === "output") return E.SUCCESS;
      e.fdflags = flags;
      return E.SUCCESS;
    },

    fd_fdstat_set_rights(fd: number, base: bigint, inheriting: bigint): number {
      const e = ctx.fds.get(fd);
      const b = Number(BigInt.asUintN(64, base) & 0x3fffffffn);
      const i = Number(BigInt.asUintN(64, inheriting) & 0x3fffffffn);
      if ((b & ~e.rightsBase) !== 0 || (i & ~e.rightsInheriting) !== 0) return E.NOTCAPABLE;
      e.rightsBase = b;
      e.rightsInheriting = i;
      return E.SUCCESS;
    },

    fd_filestat_get(fd: number, ptr: number): number {
      mem.check(ptr, 64);
      const e = ctx.fds.withRights(fd, R.FD_FILESTAT_GET);
      if (e.kind === "file") writeFilestat(mem, ptr, e.file.statSync(), ctx.times);
      else if (e.kind === "dir") writeFilestat(mem, ptr, ctx.io.shared(() => pin(e)), ctx.times);
      else writeStreamFilestat(mem, ptr, FT.UNKNOWN);
      return E.SUCCESS;
    },

    fd_filestat_set_size(fd: number, size: bigint): number {
      const e = ctx.fds.withRights(fd, R.FD_FILESTAT_SET_SIZE);
      if (e.kind === "dir") return E.ISDIR;
      if (e.kind !== "file") return E.INVAL;
      const n = BigInt.asUintN(64, size);
      if (n > BigInt(Number.MAX_SAFE_INTEGER)) return E.FBIG;
      if (ctx.maxFileBytes !== null && n > BigInt(ctx.maxFileBytes)) fileTooBig(ctx, e.host);
      ctx.grants.requireWritable(e.host);
      e.file.truncateSync(Number(n));
      return E.SUCCESS;
    },

    fd_filestat_set_times(fd: number, atim: bigint, mtim: bigint, flags: number): number {
      const e = ctx.fds.withRights(fd, R.FD_FILESTAT_SET_TIMES);
      if (e.kind !== "file" && e.kind !== "dir") return E.BADF;
      ctx.grants.requireWritable(e.host);
      const req = decodeTimes(atim, mtim, flags);
      if (e.kind === "file") {
        ctx.times.apply(req, () => e.file.statSync(), (a, m) => e.file.utimeSync(a, m));
      } else {
        // through the opened, checked directory, never through its path
        ctx.io.shared(() => {
          withOpened(".", pin(e), (dir) => {
            ctx.times.apply(req, () => dir.statSync(), (a, m) => dir.utimeSync(a, m));
          });
        });
      }
      return E.SUCCESS;
    },

    fd_prestat_get(fd: number, ptr: number): number {
      mem.check(ptr, 8);
      const e = ctx.fds.get(fd);
      if (e.kind !== "dir" || e.preopenName === null) return E.BADF;
      mem.u32(ptr, 0);
      mem.u32(ptr + 4, utf8(e.preopenName).length);
      return E.SUCCESS;
    },

    fd_prestat_dir_name(fd: number, ptr: number, len: number): number {
      const e = ctx.fds.get(fd);
      if (e.kind !== "dir" || e.preopenName === null) return E.BADF;
      const name = utf8(e.preopenName);
      if (len < name.length) return E.NAMETOOLONG;
      mem.bytes(ptr, name.length).set(name);
      return E.SUCCESS;
    },

    fd_readdir(fd: number, buf: number, len: number, cookie: bigint, used: number): number {
      mem.check(used, 4);
      const d = ctx.fds.dir(fd, R.FD_READDIR);
      if (cookie === 0n || d.listing === null) {
        try {
          d.listing = ctx.io.shared(() => listing(ctx, d));
        } catch (err) {
          return errnoOf(err);
        }
      }
      const entries = d.listing;
      const out = mem.bytes(buf, len);
      let at = 0;
      for (let i = Number(BigInt.asUintN(64, cookie)); i < entries.length && at < len; i++) {
        const ent = entries[i];
        const head = new Uint8Array(24);
        const dv = new DataView(head.buffer);
        dv.setBigUint64(0, BigInt(i + 1), true);
        dv.setBigUint64(8, ent.ino, true);
        dv.setUint32(16, ent.name.length, true);
        dv.setUint8(20, ent.filetype);
        const whole = new Uint8Array(24 + ent.name.length);
        whole.set(head);
        whole.set(ent.name, 24);
        const n = Math.min(whole.length, len - at);
        out.set(whole.subarray(0, n), at);
        at += n;
      }
      mem.u32(used, at);
      return E.SUCCESS;
    },
  };
}
