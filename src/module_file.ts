/**
 * Reading a module file once, at the edge: its type is checked without opening it (a FIFO or
 * a device is never opened), its size is bounded, and the bytes read are the bytes that run —
 * the walled child gets them from the parent and never re-reads the path.
 *
 * The check (`checkModuleFile`) uses Deno's API only; the read (`readCheckedModule`) needs
 * `node:fs`, whose open alone takes O_NONBLOCK, and loading Node's compatibility layer costs
 * a cold start tens of milliseconds. It is therefore fetched only when a module is read
 * (`process.getBuiltinModule`, synchronous), which lets `run()` read the module while the
 * walled child starts (see src/run.ts).
 * @module
 */
import type * as NodeFs from "node:fs";
import type * as NodeCrypto from "node:crypto";
import { WaspError } from "./envelope.ts";
import { MAX_MODULE_BYTES } from "./limits.ts";
import { concatBytes } from "./bytes.ts";

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
  const { path, given, info } = checked;
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
    refuseType({ isFile: opened.isFile(), isDirectory: opened.isDirectory() }, given);
    if (opened.ino !== info.ino || opened.dev !== info.dev) {
      throw new WaspError(
        "invalid_module",
        `module ${given} was replaced while wasp opened it; run again once it is stable`,
      );
    }
    bytes = readBounded(fd, given, readSync);
  } finally {
    closeSync(fd);
  }
  checkHeader(bytes, given);
  const sha256 = node().getBuiltinModule("node:crypto").createHash("sha256").update(bytes)
    .digest("hex");
  return { bytes, sha256 };
}

/** Reads the whole open file, refusing it once it grows past MAX_MODULE_BYTES. */
function readBounded(fd: number, given: string, readSync: typeof NodeFs.readSync): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = new Uint8Array(1024 * 1024);
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    total += n;
    refuseSize(total, given);
    chunks.push(chunk.subarray(0, n));
  }
  return concatBytes(chunks, total);
}

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
