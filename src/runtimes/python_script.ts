/**
 * A script file given to `wasp python`, copied once into a fresh private directory that is
 * granted read-only: the guest sees that one file, and nothing else of its directory.
 * @module
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { WaspError } from "../envelope.ts";

/** Where the guest finds the copied script (sys.argv[0] is SCRIPT_GUEST_DIR/NAME). */
export const SCRIPT_GUEST_DIR = "/script";

/** The largest script accepted (16 MiB). */
export const MAX_SCRIPT_BYTES = 16 * 1024 * 1024;

/** A script copied for one run: the scratch directory and the script's guest path. */
export interface ScriptCopy {
  dir: string;
  guestPath: string;
}

function scriptError(given: string, what: string): WaspError {
  return new WaspError("invalid_argument", `script ${given} ${what}`);
}

/** Reads the regular file at `path` (opened non-blocking: a FIFO never hangs wasp). */
function readScript(path: string, given: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const missing = (err as { code?: string }).code === "ENOENT";
    throw scriptError(
      given,
      missing ? "does not exist; check the path" : "cannot be read; check its permissions",
    );
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw scriptError(given, "is not a regular file; pass a .py file");
    if (info.size > MAX_SCRIPT_BYTES) {
      throw scriptError(given, `is larger than ${MAX_SCRIPT_BYTES} bytes; put data in a grant`);
    }
    const bytes = new Uint8Array(info.size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, null);
      if (n === 0) break;
      at += n;
    }
    return bytes.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

/** Copies the script at `path` (named `given` in errors) into a new private directory. */
export async function copyScript(path: string, given: string): Promise<ScriptCopy> {
  const bytes = readScript(path, given);
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dir = await Deno.makeTempDir({ prefix: "wasp-python-" });
  try {
    await Deno.writeFile(`${dir}/${name}`, bytes, { mode: 0o400 });
    return { dir: await Deno.realPath(dir), guestPath: `${SCRIPT_GUEST_DIR}/${name}` };
  } catch (err) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw err;
  }
}
