/**
 * The worker wall: how a `deno compile` binary (which ignores runtime permission flags) walls
 * the guest. The child process starts here with the binary's baked-in permissions and runs
 * the real child entry (child_main.ts) in a Worker whose `deno.permissions` are exactly the
 * grants. Selectable under `deno run` too (WASP_WALL=worker) so that CI exercises it.
 * @module
 */

/** The Worker permissions for one run, as passed on the child's command line. */
export interface WorkerGrants {
  read: string[];
  write: string[];
  /** The C library the Worker may load to put up the kernel wall, or null. */
  ffi: string | null;
  /** The module the Worker runs (child_main.ts; tests substitute a probe). */
  entry: string;
}

/** Runs child_main.ts in a permission-narrowed Worker and exits when it is done. */
export function hostWalledWorker(grantsJson: string): void {
  const grants = JSON.parse(grantsJson) as WorkerGrants;
  const worker = new Worker(grants.entry, {
    type: "module",
    name: "wasp-walled-child",
    deno: {
      permissions: {
        read: grants.read,
        write: grants.write.length > 0 ? grants.write : false,
        env: false,
        net: false,
        run: false,
        ffi: grants.ffi ? [grants.ffi] : false,
        sys: false,
        import: false,
      },
    },
  } as WorkerOptions);
  worker.onmessage = () => Deno.exit(0);
  worker.onerror = (e) => {
    e.preventDefault();
    console.error(`walled worker failed: ${e.message}`);
    Deno.exit(70);
  };
}

if (import.meta.main) hostWalledWorker(Deno.args[0] ?? "{}");
