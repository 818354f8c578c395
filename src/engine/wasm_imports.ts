/**
 * Checks the signatures a module declares for its `wasi_snapshot_preview1` imports against
 * the preview1 ABI before the guest starts, so that a mismatch is an `invalid_module` naming
 * the import instead of a type error deep inside a call.
 * @module
 */
import { BadBinary, Reader, sections, skipImportDesc } from "./wasm_binary.ts";

/** The preview1 module name. */
export const WASI_MODULE = "wasi_snapshot_preview1";

const I = "i32";
const L = "i64";

/** Parameter types of every preview1 function (each returns one i32, except proc_exit). */
const PARAMS: Record<string, string[]> = {
  args_get: [I, I],
  args_sizes_get: [I, I],
  environ_get: [I, I],
  environ_sizes_get: [I, I],
  clock_res_get: [I, I],
  clock_time_get: [I, L, I],
  fd_advise: [I, L, L, I],
  fd_allocate: [I, L, L],
  fd_close: [I],
  fd_datasync: [I],
  fd_fdstat_get: [I, I],
  fd_fdstat_set_flags: [I, I],
  fd_fdstat_set_rights: [I, L, L],
  fd_filestat_get: [I, I],
  fd_filestat_set_size: [I, L],
  fd_filestat_set_times: [I, L, L, I],
  fd_pread: [I, I, I, L, I],
  fd_prestat_get: [I, I],
  fd_prestat_dir_name: [I, I, I],
  fd_pwrite: [I, I, I, L, I],
  fd_read: [I, I, I, I],
  fd_readdir: [I, I, I, L, I],
  fd_renumber: [I, I],
  fd_seek: [I, L, I, I],
  fd_sync: [I],
  fd_tell: [I, I],
  fd_write: [I, I, I, I],
  path_create_directory: [I, I, I],
  path_filestat_get: [I, I, I, I, I],
  path_filestat_set_times: [I, I, I, I, L, L, I],
  path_link: [I, I, I, I, I, I, I],
  path_open: [I, I, I, I, I, L, L, I, I],
  path_readlink: [I, I, I, I, I, I],
  path_remove_directory: [I, I, I],
  path_rename: [I, I, I, I, I, I],
  path_symlink: [I, I, I, I, I],
  path_unlink_file: [I, I, I],
  poll_oneoff: [I, I, I, I],
  proc_exit: [I],
  proc_raise: [I],
  sched_yield: [],
  random_get: [I, I],
  sock_accept: [I, I, I],
  sock_recv: [I, I, I, I, I, I],
  sock_send: [I, I, I, I, I],
  sock_shutdown: [I, I],
};

/** The preview1 signature of `name` as text, e.g. "(i32, i64) -> i32"; null if unknown. */
export function preview1Signature(name: string): string | null {
  const params = PARAMS[name];
  if (!params) return null;
  return `(${params.join(", ")}) -> ${name === "proc_exit" ? "()" : "i32"}`;
}

const VALTYPES: Record<number, string> = {
  0x7f: "i32",
  0x7e: "i64",
  0x7d: "f32",
  0x7c: "f64",
  0x7b: "v128",
  0x70: "funcref",
  0x6f: "externref",
};

/** Reads the type section's function types; null entries are types wasp does not read. */
function functionTypes(body: Uint8Array): (string | null)[] {
  const r = new Reader(body, 0);
  const count = r.uleb();
  const out: (string | null)[] = [];
  const vec = () => {
    const n = r.uleb();
    const types: string[] = [];
    for (let i = 0; i < n; i++) {
      const t = VALTYPES[r.byte()];
      if (t === undefined) throw new BadBinary("reference types");
      types.push(t);
    }
    return types;
  };
  try {
    for (let i = 0; i < count; i++) {
      if (r.byte() !== 0x60) throw new BadBinary("GC types");
      const params = vec();
      const results = vec();
      out.push(`(${params.join(", ")}) -> ${results.length === 0 ? "()" : results.join(", ")}`);
    }
  } catch (err) {
    if (!(err instanceof BadBinary)) throw err;
    // from here on, indices cannot be matched: every later type is unknown
  }
  while (out.length < count) out.push(null);
  return out;
}

/**
 * Returns a sentence describing the first preview1 import whose declared signature differs
 * from the ABI, or null when all match. Unknown preview1 names are left to the caller.
 */
export function wrongWasiImport(bytes: Uint8Array, moduleName: string): string | null {
  try {
    return firstWrongImport(bytes, moduleName);
  } catch (err) {
    if (err instanceof BadBinary) return null; // compiling it reports the problem
    throw err;
  }
}

function firstWrongImport(bytes: Uint8Array, moduleName: string): string | null {
  let types: (string | null)[] = [];
  for (const s of sections(bytes)) {
    if (s.id === 1) types = functionTypes(s.body);
    if (s.id !== 2) continue;
    const r = new Reader(s.body, 0);
    const count = r.uleb();
    for (let n = 0; n < count; n++) {
      const mod = r.name();
      const name = r.name();
      const kind = r.byte();
      if (kind !== 0) {
        skipImportDesc(r, kind);
        continue;
      }
      const declared = types[r.uleb()] ?? null;
      const want = mod === WASI_MODULE ? preview1Signature(name) : null;
      if (want !== null && declared !== want) {
        return `module ${moduleName} imports ${mod}.${name} as ${
          declared ?? "a type wasp cannot read"
        }, but preview1 defines it as ${want}; rebuild it against the WASI preview1 headers`;
      }
    }
  }
  return null;
}

/**
 * The first import of `module` that no engine provides, as a refusal message, or null when
 * every import is a preview1 function or a memory. Both engines refuse the same modules
 * (wasi-threads `thread-spawn`, WASIX, host functions).
 */
export function foreignImport(module: WebAssembly.Module, moduleName: string): string | null {
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind === "memory") continue;
    if (imp.kind === "function" && imp.module === WASI_MODULE && imp.name in PARAMS) continue;
    return `module ${moduleName} imports ${imp.module}.${imp.name}, which wasp does not provide; wasp offers only ${WASI_MODULE}`;
  }
  return null;
}
