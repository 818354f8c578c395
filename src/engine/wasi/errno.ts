/**
 * Errors inside the WASI host: a thrown `WasiError` becomes the syscall's errno, and host
 * (Deno) errors are mapped to the errno a POSIX runtime would return.
 * @module
 */
import { E } from "./constants.ts";

/** Thrown by syscall helpers to return an errno to the guest. */
export class WasiError extends Error {
  /** The errno value to return. */
  readonly errno: number;
  constructor(errno: number) {
    super(`wasi errno ${errno}`);
    this.errno = errno;
  }
}

/** Throws a WasiError with `errno`. */
export function fail(errno: number): never {
  throw new WasiError(errno);
}

const BY_CODE: Record<string, number> = {
  ENOENT: E.NOENT,
  EEXIST: E.EXIST,
  ENOTDIR: E.NOTDIR,
  EISDIR: E.ISDIR,
  ENOTEMPTY: E.NOTEMPTY,
  EACCES: E.ACCES,
  EPERM: E.PERM,
  ELOOP: E.LOOP,
  EXDEV: E.XDEV,
  EINVAL: E.INVAL,
  EBADF: E.BADF,
  ENAMETOOLONG: E.NAMETOOLONG,
  ENOSPC: E.NOSPC,
  EROFS: E.ROFS,
  EBUSY: E.BUSY,
  EFBIG: E.FBIG,
  EMLINK: E.MLINK,
  ESPIPE: E.SPIPE,
  EPIPE: E.PIPE,
  ENXIO: E.NXIO,
  EMFILE: E.MFILE,
  ENOMEM: E.NOMEM,
  EAGAIN: E.AGAIN,
  EINTR: E.INTR,
  EOVERFLOW: E.OVERFLOW,
  ENOTCAPABLE: E.NOTCAPABLE,
  ENOSYS: E.NOSYS,
};

/** Maps a POSIX error code name ("EEXIST") to an errno; unknown names map to EIO. */
export function errnoFromCode(code: string): number {
  return BY_CODE[code] ?? E.IO;
}

/** Maps any error thrown by a host call to an errno. */
export function errnoOf(err: unknown): number {
  if (err instanceof WasiError) return err.errno;
  if (err instanceof Deno.errors.NotCapable) return E.NOTCAPABLE;
  const code = (err as { code?: unknown })?.code;
  if (typeof code === "string" && code in BY_CODE) return BY_CODE[code];
  if (err instanceof Deno.errors.NotFound) return E.NOENT;
  if (err instanceof Deno.errors.AlreadyExists) return E.EXIST;
  if (err instanceof Deno.errors.NotADirectory) return E.NOTDIR;
  if (err instanceof Deno.errors.IsADirectory) return E.ISDIR;
  if (err instanceof Deno.errors.PermissionDenied) return E.ACCES;
  if (err instanceof Deno.errors.FilesystemLoop) return E.LOOP;
  if (err instanceof Deno.errors.InvalidData) return E.INVAL;
  if (err instanceof RangeError) return E.FAULT;
  return E.IO;
}

let names: Map<number, string> | null = null;

/** The name of an errno value (`ENOENT`), or `ok` for success. */
export function errnoName(errno: number): string {
  if (errno === E.SUCCESS) return "ok";
  names ??= new Map(Object.entries(E).map(([k, v]) => [v as number, `E${k}`]));
  return names.get(errno) ?? `errno ${errno}`;
}
