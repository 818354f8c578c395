/**
 * fd_* calls that move bytes or positions: read, write, pread, pwrite, seek, tell,
 * close, renumber, sync, datasync, advise, allocate.
 * @module
 */
import { E, FDFLAGS, R, WHENCE } from "./constants.ts";
import type { WasiContext } from "./context.ts";
import { fail } from "./errno.ts";
import { deny } from "./denied.ts";
import { closeEntry, type FileFd } from "./fd_table.ts";
import type { IoVecs } from "./memory.ts";

/** Largest file offset wasp accepts (JavaScript's safe integer range). */
const MAX_OFFSET = BigInt(Number.MAX_SAFE_INTEGER);

function offsetOf(v: bigint): number {
  const u = BigInt.asUintN(64, v);
  if (u > MAX_OFFSET) fail(E.INVAL);
  return Number(u);
}

/** Largest piece of guest memory handed to the host in one call (bounds any host copy). */
export const IO_CHUNK = 1024 * 1024;
/** A gathered write of at most this many bytes reaches the output as one piece. */
const GATHER_BYTES = 4096;

/** Most bytes one write moves, as on Linux (MAX_RW_COUNT); the guest sees a short write. */
export const MAX_WRITE = 0x7ffff000;

function readInto(f: FileFd, vecs: IoVecs, ctx: WasiContext): number {
  let total = 0;
  for (const v of vecs) {
    if (v.len === 0) continue;
    const view = ctx.memory.bytes(v.ptr, v.len);
    let got = 0;
    while (got < v.len) {
      const n = f.file.readSync(view.subarray(got, got + IO_CHUNK));
      if (n === null || n === 0) break;
      got += n;
    }
    total += got;
    if (got < v.len) break;
  }
  return total;
}

/**
 * Writes the iovecs at file offset `position` (already the file's position), in bounded
 * pieces, stopping at --max-file-size: a write that starts at the limit fails with EFBIG,
 * one that crosses it is cut short there (as POSIX RLIMIT_FSIZE does).
 */
function writeFrom(f: FileFd, vecs: IoVecs, ctx: WasiContext, position: number): number {
  let left = Math.min(vecs.total, MAX_WRITE);
  if (ctx.maxFileBytes !== null && left > 0) {
    if (position >= ctx.maxFileBytes) fileTooBig(ctx, f.host);
    left = Math.min(left, ctx.maxFileBytes - position);
  }
  let total = 0;
  for (const v of vecs) {
    if (left === 0) break;
    const view = ctx.memory.bytes(v.ptr, Math.min(v.len, left));
    let off = 0;
    while (off < view.length) off += f.file.writeSync(view.subarray(off, off + IO_CHUNK));
    total += view.length;
    left -= view.length;
  }
  return total;
}

/** Refuses (EFBIG) a file size past --max-file-size. */
function requireFileSize(ctx: WasiContext, size: number, host: string): void {
  if (ctx.maxFileBytes !== null && size > ctx.maxFileBytes) fileTooBig(ctx, host);
}

/** Refuses growing the file at `host` past --max-file-size (a denial). */
export function fileTooBig(ctx: WasiContext, host: string): never {
  deny(E.FBIG, "max_file_size", host, undefined, `${ctx.maxFileBytes} bytes`);
}

/**
 * Hands captured output to the walled child piece by piece: nothing the size of the whole
 * gathered write is ever allocated, and the child keeps only what fits under the cap.
 */
function emit(stream: 1 | 2, vecs: IoVecs, ctx: WasiContext): number {
  if (vecs.count > 1 && vecs.total <= GATHER_BYTES) {
    // a small gathered write (printf's "text" + "\n") travels as one piece, as written
    const whole = new Uint8Array(vecs.total);
    let at = 0;
    for (const v of vecs) {
      whole.set(ctx.memory.bytes(v.ptr, v.len), at);
      at += v.len;
    }
    ctx.io.output(stream, whole);
    return vecs.total;
  }
  for (const v of vecs) {
    for (let off = 0; off < v.len; off += IO_CHUNK) {
      ctx.io.output(stream, ctx.memory.bytes(v.ptr + off, Math.min(IO_CHUNK, v.len - off)));
    }
  }
  return vecs.total;
}

function fileFd(ctx: WasiContext, fd: number, rights: number): FileFd {
  const e = ctx.fds.withRights(fd, rights);
  if (e.kind === "dir") fail(E.ISDIR);
  if (e.kind !== "file") fail(E.SPIPE);
  return e;
}

/**
 * Honours the SYNC and DSYNC fdflags after a write, like O_SYNC/O_DSYNC on Linux: the data
 * (and for SYNC the metadata) reaches the disk before the write returns. RSYNC alone asks
 * only that reads see synchronised data, which the host's page cache already gives.
 */
function syncAfterWrite(f: FileFd): void {
  if (f.fdflags & FDFLAGS.SYNC) f.file.syncSync();
  else if (f.fdflags & FDFLAGS.DSYNC) f.file.syncDataSync();
}

/** Runs `body` with the file positioned at `offset`, then restores the position. */
function atOffset<T>(f: FileFd, offset: number, body: () => T): T {
  const saved = f.file.seekSync(0, Deno.SeekMode.Current);
  f.file.seekSync(offset, Deno.SeekMode.Start);
  try {
    return body();
  } finally {
    f.file.seekSync(saved, Deno.SeekMode.Start);
  }
}

/** The fd I/O family. */
export function fdIoCalls(ctx: WasiContext) {
  const mem = ctx.memory;
  return {
    fd_read(fd: number, iovs: number, count: number, nread: number): number {
      mem.check(nread, 4);
      const e = ctx.fds.withRights(fd, R.FD_READ);
      const vecs = mem.iovecs(iovs, count);
      if (e.kind === "stdin") {
        let total = 0;
        for (const v of vecs) {
          const chunk = e.data.subarray(e.pos, e.pos + v.len);
          mem.bytes(v.ptr, chunk.length).set(chunk);
          e.pos += chunk.length;
          total += chunk.length;
          if (chunk.length < v.len) break;
        }
        mem.u32(nread, total);
        return E.SUCCESS;
      }
      if (e.kind === "dir") return E.ISDIR;
      if (e.kind !== "file") return E.BADF;
      mem.u32(nread, readInto(e, vecs, ctx));
      return E.SUCCESS;
    },

    fd_write(fd: number, iovs: number, count: number, nwritten: number): number {
      mem.check(nwritten, 4);
      const e = ctx.fds.withRights(fd, R.FD_WRITE);
      const vecs = mem.iovecs(iovs, count);
      if (e.kind === "output") {
        mem.u32(nwritten, emit(e.stream, vecs, ctx));
        return E.SUCCESS;
      }
      if (e.kind === "dir") return E.ISDIR;
      if (e.kind !== "file") return E.BADF;
      const position = e.file.seekSync(
        0,
        e.fdflags & FDFLAGS.APPEND ? Deno.SeekMode.End : Deno.SeekMode.Current,
      );
      mem.u32(nwritten, writeFrom(e, vecs, ctx, position));
      syncAfterWrite(e);
      return E.SUCCESS;
    },

    fd_pread(fd: number, iovs: number, count: number, offset: bigint, nread: number): number {
      mem.check(nread, 4);
      const f = fileFd(ctx, fd, R.FD_READ | R.FD_SEEK);
      const vecs = mem.iovecs(iovs, count);
      mem.u32(nread, atOffset(f, offsetOf(offset), () => readInto(f, vecs, ctx)));
      return E.SUCCESS;
    },

    fd_pwrite(fd: number, iovs: number, count: number, offset: bigint, nwritten: number): number {
      mem.check(nwritten, 4);
      const f = fileFd(ctx, fd, R.FD_WRITE | R.FD_SEEK);
      const vecs = mem.iovecs(iovs, count);
      let at = offsetOf(offset);
      // Linux and wasmtime: on an append-mode fd, pwrite appends and ignores the offset.
      if (f.fdflags & FDFLAGS.APPEND) at = f.file.statSync().size;
      mem.u32(nwritten, atOffset(f, at, () => writeFrom(f, vecs, ctx, at)));
      syncAfterWrite(f);
      return E.SUCCESS;
    },

    fd_seek(fd: number, delta: bigint, whence: number, newOffset: number): number {
      mem.check(newOffset, 8);
      const e = ctx.fds.get(fd);
      if (e.kind === "stdin" || e.kind === "output") return E.SPIPE;
      if (whence > WHENCE.END) return E.INVAL;
      const need = delta === 0n && whence === WHENCE.CUR ? R.FD_TELL : R.FD_SEEK;
      if ((e.rightsBase & need) === 0 && (e.rightsBase & R.FD_SEEK) === 0) return E.NOTCAPABLE;
      if (e.kind === "dir") return E.BADF;
      const d = BigInt.asIntN(64, delta);
      const base = whence === WHENCE.SET ? 0n : BigInt(
        e.file.seekSync(0, whence === WHENCE.CUR ? Deno.SeekMode.Current : Deno.SeekMode.End),
      );
      const target = base + d;
      if (target < 0n) return E.INVAL;
      if (target > MAX_OFFSET) return E.OVERFLOW;
      mem.u64(newOffset, e.file.seekSync(Number(target), Deno.SeekMode.Start));
      return E.SUCCESS;
    },

    fd_tell(fd: number, offset: number): number {
      mem.check(offset, 8);
      const e = ctx.fds.withRights(fd, R.FD_TELL);
      if (e.kind !== "file") return e.kind === "dir" ? E.BADF : E.SPIPE;
      mem.u64(offset, e.file.seekSync(0, Deno.SeekMode.Current));
      return E.SUCCESS;
    },

    fd_close(fd: number): number {
      closeEntry(ctx.fds.remove(fd));
      return E.SUCCESS;
    },

    fd_renumber(from: number, to: number): number {
      const src = ctx.fds.get(from);
      const dst = ctx.fds.get(to);
      if (from === to) return E.SUCCESS;
      closeEntry(dst);
      ctx.fds.remove(from);
      ctx.fds.set(to, src);
      return E.SUCCESS;
    },

    fd_sync(fd: number): number {
      const e = ctx.fds.withRights(fd, R.FD_SYNC);
      if (e.kind === "file") e.file.syncSync();
      else if (e.kind !== "dir") return E.INVAL;
      return E.SUCCESS;
    },

    fd_datasync(fd: number): number {
      const e = ctx.fds.withRights(fd, R.FD_DATASYNC);
      if (e.kind === "file") e.file.syncDataSync();
      else if (e.kind !== "dir") return E.INVAL;
      return E.SUCCESS;
    },

    fd_advise(fd: number, _offset: bigint, _len: bigint, advice: number): number {
      const e = ctx.fds.withRights(fd, R.FD_ADVISE);
      if (advice > 5) return E.INVAL;
      if (e.kind === "dir") return E.BADF;
      if (e.kind !== "file") return E.SPIPE;
      return E.SUCCESS;
    },

    fd_allocate(fd: number, offset: bigint, len: bigint): number {
      const f = fileFd(ctx, fd, R.FD_ALLOCATE);
      const end = offsetOf(offset) + offsetOf(len);
      if (len === 0n) return E.INVAL;
      if (end > Number.MAX_SAFE_INTEGER) return E.FBIG;
      requireFileSize(ctx, end, f.host);
      if (f.file.statSync().size < end) f.file.truncateSync(end);
      return E.SUCCESS;
    },
  };
}
