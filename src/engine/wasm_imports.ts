/**
 * Which imports a guest module may have, for every engine: the functions of WASI preview1
 * and one memory. Anything else (wasi-threads `thread-spawn`, WASIX, host functions) is
 * refused before the guest runs, so both engines run exactly the same set of modules.
 * @module
 */

/** The WASI preview1 namespace. */
export const WASI_PREVIEW1 = "wasi_snapshot_preview1";

/** Every function of WASI preview1 (the set wasp's own host implements). */
export const PREVIEW1_FUNCTIONS: ReadonlySet<string> = new Set([
  "args_get",
  "args_sizes_get",
  "environ_get",
  "environ_sizes_get",
  "clock_res_get",
  "clock_time_get",
  "fd_advise",
  "fd_allocate",
  "fd_close",
  "fd_datasync",
  "fd_fdstat_get",
  "fd_fdstat_set_flags",
  "fd_fdstat_set_rights",
  "fd_filestat_get",
  "fd_filestat_set_size",
  "fd_filestat_set_times",
  "fd_pread",
  "fd_prestat_get",
  "fd_prestat_dir_name",
  "fd_pwrite",
  "fd_read",
  "fd_readdir",
  "fd_renumber",
  "fd_seek",
  "fd_sync",
  "fd_tell",
  "fd_write",
  "path_create_directory",
  "path_filestat_get",
  "path_filestat_set_times",
  "path_link",
  "path_open",
  "path_readlink",
  "path_remove_directory",
  "path_rename",
  "path_symlink",
  "path_unlink_file",
  "poll_oneoff",
  "proc_exit",
  "proc_raise",
  "sched_yield",
  "random_get",
  "sock_accept",
  "sock_recv",
  "sock_send",
  "sock_shutdown",
]);

/**
 * The first import of `module` that no engine provides, as a refusal message, or null when
 * every import is a preview1 function or a memory.
 */
export function foreignImport(module: WebAssembly.Module, moduleName: string): string | null {
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind === "memory") continue;
    if (imp.kind === "function" && imp.module === WASI_PREVIEW1) {
      if (PREVIEW1_FUNCTIONS.has(imp.name)) continue;
    }
    return `module ${moduleName} imports ${imp.module}.${imp.name}, which wasp does not provide; wasp offers only ${WASI_PREVIEW1}`;
  }
  return null;
}
