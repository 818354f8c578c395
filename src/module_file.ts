/**
 * Reading a module file once, at the edge: its type is checked without opening it (a FIFO or
 * a device is never opened), its size is bounded, and the bytes read are the bytes that run —
 * the walled child gets them from the parent and never re-reads the path.
 *
 * The check (`checkModuleFile`) uses Deno's API only. There are two readers of a checked
 * module. `readCheckedModuleAsync`, which every run uses, needs nothing but Deno's API: its
 * open runs off the main thread and is watched (see there). `readCheckedModule`, for the
 * synchronous `buildPolicy()`, needs `node:fs`, whose open alone takes O_NONBLOCK; loading
 * Node's compatibility layer costs a cold start about 30 ms on the benchmark machine, so it is
 * fetched only then (`process.getBuiltinModule`).
 * @module
 */
import type * as NodeFs from "node:fs";
import type * as NodeCrypto from "node:crypto";
import { WaspError } from "./envelope.ts";
import { MAX_MODULE_BYTES } from "./limits.ts";
import { concatBytes } from "./bytes.ts";
import { every } from "./timer.ts";

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** A module file read and checked: its bytes and their SHA-256 (hex). */
export interface ModuleFile {
  bytes: Uint8Array;
  sha256: string;
}

function notFound(given: string, err: unknown): WaspError {
  if (err instanceof Deno.errors.NotFound) {
    return new WaspError(
      "module_not_found",
      `module ${given} does not exist; check the path or build it first`,
    );
  }
  return new WaspError("module_not_found", `module ${given} cannot be read; check its permissions`);
}

function refuseType(info: { isFile: boolean; isDirectory: boolean }, given: string): void {
  if (info.isFile) return;
  const what = info.isDirectory ? "a directory" : "not a regular file (a FIFO, socket or device)";
  throw new WaspError("invalid_module", `module ${given} is ${what}; pass a .wasm file`);
}

function refuseSize(size: number, given: string): void {
  if (size <= MAX_MODULE_BYTES) return;
  throw new WaspError(
    "invalid_module",
    `module ${given} is larger than the ${MAX_MODULE_BYTES} bytes (256 MiB) wasp accepts; use a smaller module`,
  );
}

/** Node's built-in modules wasp uses, loaded on first use (see the module comment). */
interface NodeBuiltins {
  getBuiltinModule(name: "node:fs"): typeof NodeFs;
  getBuiltinModule(name: "node:crypto"): typeof NodeCrypto;
}

function node(): NodeBuiltins {
  return (globalThis as unknown as { process: NodeBuiltins }).process;
}

/** A module path that passed the checks made without opening it. */
export interface CheckedModule {
  path: string;
  /** How the caller named it, for errors. */
  given: string;
  info: Deno.FileInfo;
}

/**
 * Checks the module at `path` (named `given` in errors) without opening it: module_not_found
 * when it is missing, invalid_module unless it is a regular file of at most MAX_MODULE_BYTES.
 */
export function checkModuleFile(path: string, given: string): CheckedModule {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (err) {
    throw notFound(given, err);
  }
  refuseType(info, given);
  refuseSize(info.size, given);
  // procfs and sysfs files claim a size of 0 and may block or fail when read: a module is at
  // least its 8-byte header, so such a file is refused as what it is, without being opened
  if (info.size < 8) checkHeader(new Uint8Array(0), given);
  return { path, given, info };
}

/**
 * Reads the module at `path` (named `given` in errors): module_not_found when it is missing,
 * invalid_module unless it is a regular file of at most MAX_MODULE_BYTES holding a core wasm
 * module. The file type is checked with stat before it is opened, and again on the open file;
 * the open itself is non-blocking, so a FIFO swapped in between cannot hang wasp either.
 */
export function readModuleFile(path: string, given: string): ModuleFile {
  return readCheckedModule(checkModuleFile(path, given));
}

/**
 * Reads a module that passed `checkModuleFile`: the open is non-blocking and the open file
 * must be the regular file that was checked (same device and inode), else invalid_module;
 * then its size is bounded again as it is read, and its header checked.
 */
export function readCheckedModule(checked: CheckedModule): ModuleFile {
  const { path, given } = checked;
  const { closeSync, constants, fstatSync, openSync, readSync } = node().getBuiltinModule(
    "node:fs",
  );
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw notFound(given, code === "ENOENT" ? new Deno.errors.NotFound() : err);
  }
  let bytes: Uint8Array;
  try {
    const opened = fstatSync(fd);
    refuseOpened(
      {
        isFile: opened.isFile(),
        isDirectory: opened.isDirectory(),
        dev: opened.dev,
        ino: opened.ino,
      },
      checked,
    );
    const read = new BoundedRead(given);
    for (;;) {
      const chunk = new Uint8Array(CHUNK);
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (err) {
        throw cannotRead(given, err);
      }
      if (n === 0) break;
      read.add(chunk.subarray(0, n));
    }
    bytes = read.bytes();
  } finally {
    closeSync(fd);
  }
  checkHeader(bytes, given);
  const sha256 = node().getBuiltinModule("node:crypto").createHash("sha256").update(bytes)
    .digest("hex");
  return { bytes, sha256 };
}

/**
 * `readCheckedModule` with Deno's API alone. Deno's open has no O_NONBLOCK, so the open runs
 * off the main thread, and while it is pending the path is looked at again every
 * OPEN_WATCH_MS: once it no longer names the checked file (a FIFO swapped in would block an
 * open for reading until some writer came) the module is refused at once; `stop` (the
 * caller's bound on the wait) ends it too. An open left blocked that way is closed if it ever
 * returns. Then, as the synchronous reader does, the open file must be the checked one.
 */
export async function readCheckedModuleAsync(
  checked: CheckedModule,
  stop?: AbortSignal,
): Promise<ModuleFile> {
  const { given } = checked;
  const file = await openWatched(checked, stop);
  let bytes: Uint8Array;
  try {
    refuseOpened(await file.stat(), checked);
    const read = new BoundedRead(given);
    for (;;) {
      const chunk = new Uint8Array(CHUNK);
      const n = await within(file.read(chunk), given, stop).catch((err) => {
        throw cannotRead(given, err);
      });
      if (n === null) break;
      read.add(chunk.subarray(0, n));
    }
    bytes = read.bytes();
  } finally {
    file.close();
  }
  checkHeader(bytes, given);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  return { bytes, sha256: Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("") };
}

/**
 * A failed read (EIO, EAGAIN: what special files do) as invalid_module; a WaspError (a read
 * given up) stays as it is.
 */
function cannotRead(given: string, err: unknown): WaspError {
  if (err instanceof WaspError) return err;
  const why = (err instanceof Error ? err.message : String(err)).split("\n")[0];
  return new WaspError(
    "invalid_module",
    `module ${given} cannot be read (${why}); pass a regular .wasm file`,
  );
}

/**
 * `pending`, unless `stop` aborts first: then invalid_module (a read that blocks). Whatever
 * `pending` does later is handled here, even when `stop` had aborted already: an open or read
 * left behind fails once its file is closed, and that must not surface as an error of its own.
 */
export function within<T>(pending: Promise<T>, given: string, stop?: AbortSignal): Promise<T> {
  if (stop === undefined) return pending;
  return new Promise<T>((resolve, reject) => {
    const stopped = () => reject(tooSlow(given));
    pending.then(resolve, reject).finally(() => stop.removeEventListener("abort", stopped));
    if (stop.aborted) return stopped();
    stop.addEventListener("abort", stopped, { once: true });
  });
}

function tooSlow(given: string): WaspError {
  return new WaspError(
    "invalid_module",
    `module ${given} did not open or read in time; pass a regular file on a responsive file system`,
  );
}

/** How often a pending open is checked on (ms): it takes microseconds on a regular file. */
export const OPEN_WATCH_MS = 50;

/** Opens the checked module for reading, refusing it once the path names another file. */
async function openWatched(checked: CheckedModule, stop?: AbortSignal): Promise<Deno.FsFile> {
  const { path, given, info } = checked;
  const opening = Deno.open(path, { read: true }).catch((err) => {
    throw notFound(given, err);
  });
  let stopWatching = () => {};
  const swapped = new Promise<never>((_, reject) => {
    stopWatching = every(OPEN_WATCH_MS, () => {
      Deno.stat(path).then((now) => {
        if (!now.isFile || now.dev !== info.dev || now.ino !== info.ino) reject(replaced(given));
      }, () => reject(replaced(given)));
    });
  });
  try {
    return await within(Promise.race([opening, swapped]), given, stop);
  } catch (err) {
    // an open that returns after the module was refused is closed at once
    opening.then((late) => late.close(), () => {});
    throw err;
  } finally {
    stopWatching();
  }
}

function replaced(given: string): WaspError {
  return new WaspError(
    "invalid_module",
    `module ${given} was replaced while wasp opened it; run again once it is stable`,
  );
}

/** Refuses an opened module that is not a regular file or not the file that was checked. */
function refuseOpened(
  opened: { isFile: boolean; isDirectory: boolean; dev: number; ino: number | null },
  checked: CheckedModule,
): void {
  refuseType(opened, checked.given);
  if (opened.ino !== checked.info.ino || opened.dev !== checked.info.dev) {
    throw replaced(checked.given);
  }
}

/** Bytes read a piece at a time, refused once they grow past MAX_MODULE_BYTES. */
class BoundedRead {
  readonly #given: string;
  readonly #chunks: Uint8Array[] = [];
  #total = 0;

  constructor(given: string) {
    this.#given = given;
  }

  add(chunk: Uint8Array): void {
    this.#total += chunk.length;
    refuseSize(this.#total, this.#given);
    this.#chunks.push(chunk);
  }

  bytes(): Uint8Array {
    return concatBytes(this.#chunks, this.#total);
  }
}

const CHUNK = 1024 * 1024;

function checkHeader(head: Uint8Array, given: string): void {
  if (head.length < 8 || MAGIC.some((b, i) => head[i] !== b)) {
    throw new WaspError(
      "invalid_module",
      `module ${given} is not a WebAssembly binary (bad magic header); compile it for wasm32-wasi`,
    );
  }
  if (head[4] !== 1 || head[5] !== 0 || head[6] !== 0 || head[7] !== 0) {
    throw new WaspError(
      "invalid_module",
      `module ${given} is a WebAssembly component or unknown version; wasp runs WASI preview1 core modules`,
    );
  }
}
