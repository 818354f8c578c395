/**
 * The guest's file descriptor table: stdio, preopened directories, opened files and
 * directories, each with its own rights.
 * @module
 */
import { E, FT, R } from "./constants.ts";
import { fail } from "./errno.ts";
import type { DirRef } from "./fs/pin.ts";

interface FdCommon {
  rightsBase: number;
  rightsInheriting: number;
  fdflags: number;
}

/** fd 0: bytes handed over by the parent. */
export interface StdinFd extends FdCommon {
  kind: "stdin";
  data: Uint8Array;
  pos: number;
}

/** fd 1 and 2: captured output. */
export interface OutputFd extends FdCommon {
  kind: "output";
  stream: 1 | 2;
}

/**
 * A directory: `host` was its canonical path when opened, and every use pins it by path and
 * identity (dev, ino), so a directory moved or replaced since is refused, never followed.
 */
export interface DirFd extends FdCommon, DirRef {
  kind: "dir";
  /** The guest name when this fd is a preopen (reported by fd_prestat_*). */
  preopenName: string | null;
  /** Snapshot of the entries taken by fd_readdir at cookie 0. */
  listing: DirEntry[] | null;
}

/** An open host file (or other non-directory). */
export interface FileFd extends FdCommon {
  kind: "file";
  host: string;
  file: Deno.FsFile;
  filetype: number;
}

/** One entry of a directory listing. */
export interface DirEntry {
  name: Uint8Array;
  ino: bigint;
  filetype: number;
}

/** Any descriptor. */
export type FdEntry = StdinFd | OutputFd | DirFd | FileFd;

/** Most descriptors a guest may hold at once. */
export const MAX_FDS = 4096;

/** The descriptor table. */
export class FdTable {
  readonly #entries: (FdEntry | undefined)[] = [];

  /** Installs an entry at a fixed number (used for stdio and preopens). */
  set(fd: number, entry: FdEntry): void {
    this.#entries[fd] = entry;
  }

  /** Adds an entry at the lowest free number. */
  add(entry: FdEntry): number {
    let fd = 0;
    while (fd < this.#entries.length && this.#entries[fd] !== undefined) fd++;
    if (fd >= MAX_FDS) fail(E.MFILE);
    this.#entries[fd] = entry;
    return fd;
  }

  /** Returns the entry or fails with EBADF. */
  get(fd: number): FdEntry {
    const e = this.#entries[fd];
    if (e === undefined) fail(E.BADF);
    return e;
  }

  /** Returns the entry if `fd` is open. */
  peek(fd: number): FdEntry | undefined {
    return this.#entries[fd];
  }

  /** Returns the entry after checking it holds every right in `rights`. */
  withRights(fd: number, rights: number): FdEntry {
    const e = this.get(fd);
    if ((e.rightsBase & rights) !== rights) {
      fail(rights & (R.FD_READ | R.FD_WRITE) ? E.BADF : E.NOTCAPABLE);
    }
    return e;
  }

  /** Returns a directory entry holding `rights`, failing with ENOTDIR for other kinds. */
  dir(fd: number, rights: number): DirFd {
    const e = this.get(fd);
    if (e.kind !== "dir") fail(E.NOTDIR);
    if ((e.rightsBase & rights) !== rights) fail(E.NOTCAPABLE);
    return e;
  }

  /** Removes and returns an entry. */
  remove(fd: number): FdEntry {
    const e = this.get(fd);
    this.#entries[fd] = undefined;
    return e;
  }

  /** Every open entry. */
  *all(): Iterable<FdEntry> {
    for (const e of this.#entries) if (e) yield e;
  }
}

/** Closes whatever host resource an entry holds. */
export function closeEntry(e: FdEntry): void {
  if (e.kind === "file") {
    try {
      e.file.close();
    } catch {
      // already closed
    }
  }
}

/** The WASI file type for a host FileInfo. */
export function filetypeOf(st: Deno.FileInfo): number {
  if (st.isFile) return FT.REGULAR_FILE;
  if (st.isDirectory) return FT.DIRECTORY;
  if (st.isSymlink) return FT.SYMBOLIC_LINK;
  if (st.isCharDevice) return FT.CHARACTER_DEVICE;
  if (st.isBlockDevice) return FT.BLOCK_DEVICE;
  if (st.isSocket) return FT.SOCKET_STREAM;
  return FT.UNKNOWN;
}
