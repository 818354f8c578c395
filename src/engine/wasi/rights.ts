/**
 * Rights of path_open: which rights the directory fd must hold, whether the host file is
 * opened for reading and writing, and which rights the new fd gets. Follows the witx
 * definitions of wasi_snapshot_preview1 (`rights`, `path_open`) and wasmtime's preview1
 * host; see docs/conformance.md.
 * @module
 */
import { DIR_INHERITING, DIR_RIGHTS, E, FDFLAGS, FILE_RIGHTS, OFLAGS, R } from "./constants.ts";
import { fail } from "./errno.ts";

/** The rights half of a directory fd. */
export interface RightsHolder {
  rightsBase: number;
  rightsInheriting: number;
}

/** What one path_open asks for, and what it may be given. */
export interface OpenRights {
  /** The guest asked to write (FD_WRITE) or to truncate (O_TRUNC): a directory gives EISDIR. */
  write: boolean;
  /** Open the host file for reading: FD_READ asked, or nothing else to open it with. */
  read: boolean;
  /** Base rights of the new fd if it is a directory (file-only rights masked away). */
  dirBase: number;
  /** Inheriting rights of the new fd if it is a directory. */
  dirInheriting: number;
  /** Base rights of the new fd if it is a regular file (or other non-directory). */
  fileBase: number;
  /** Inheriting rights of the new fd if it is not a directory. */
  fileInheriting: number;
}

/** The 30 rights bits of a 64-bit rights value (bits above are not defined by preview1). */
export function rightsOf(v: bigint): number {
  return Number(BigInt.asUintN(64, v) & 0x3fffffffn);
}

/**
 * Rights the directory fd needs for a path_open, as in the witx `rights` docs: PATH_OPEN;
 * PATH_CREATE_FILE for O_CREAT; PATH_FILESTAT_SET_SIZE for O_TRUNC (base rights), and the
 * new fd's rights plus FD_SYNC for the RSYNC/SYNC fdflags (inheriting).
 */
function requiredDirRights(
  base: number,
  inheriting: number,
  oflags: number,
  fdflags: number,
): { base: number; inheriting: number } {
  let needBase = R.PATH_OPEN;
  if (oflags & OFLAGS.CREAT) needBase |= R.PATH_CREATE_FILE;
  if (oflags & OFLAGS.TRUNC) needBase |= R.PATH_FILESTAT_SET_SIZE;
  let needInheriting = base | inheriting;
  if (fdflags & (FDFLAGS.RSYNC | FDFLAGS.SYNC)) needInheriting |= R.FD_SYNC;
  return { base: needBase, inheriting: needInheriting };
}

/**
 * Checks a path_open against the directory fd's rights (ENOTCAPABLE when short) and
 * decides the open. DSYNC is allowed by FD_DATASYNC or FD_SYNC (witx: fd_sync "includes
 * the right to invoke path_open with fdflags::rsync and fdflags::dsync").
 */
export function planOpen(
  dir: RightsHolder,
  baseArg: bigint,
  inheritingArg: bigint,
  oflags: number,
  fdflags: number,
): OpenRights {
  // Rights no fd reached through a directory can hold (the socket rights) are masked.
  const base = rightsOf(baseArg) & DIR_INHERITING;
  const inheriting = rightsOf(inheritingArg) & DIR_INHERITING;
  const need = requiredDirRights(base, inheriting, oflags, fdflags);
  if ((dir.rightsBase & need.base) !== need.base) fail(E.NOTCAPABLE);
  if ((dir.rightsInheriting & need.inheriting) !== need.inheriting) fail(E.NOTCAPABLE);
  if (fdflags & FDFLAGS.DSYNC && !(dir.rightsInheriting & (R.FD_DATASYNC | R.FD_SYNC))) {
    fail(E.NOTCAPABLE);
  }
  const write = (base & R.FD_WRITE) !== 0 || (oflags & OFLAGS.TRUNC) !== 0;
  // Resizing needs a host handle open for writing; without FD_WRITE the fd cannot resize,
  // and its rights say so instead of failing later.
  const resize = (base & R.FD_WRITE) !== 0 ? 0 : R.FD_FILESTAT_SET_SIZE | R.FD_ALLOCATE;
  return {
    write,
    read: (base & R.FD_READ) !== 0 || !write,
    dirBase: base & DIR_RIGHTS,
    dirInheriting: inheriting,
    fileBase: base & FILE_RIGHTS & ~resize,
    fileInheriting: inheriting & FILE_RIGHTS,
  };
}
