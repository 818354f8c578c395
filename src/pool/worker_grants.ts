/**
 * What a pool Worker is made with for one run: its Deno permissions, its kernel-wall order,
 * and the key under which a pre-walled Worker for exactly that set waits in the pool. The
 * key names each granted directory by its identity (device, inode) as well as its path, so a
 * directory replaced since a Worker was walled never matches that Worker.
 * @module
 */
import { WaspError } from "../envelope.ts";
import type { DirGrant } from "../policy.ts";
import type { WallOrder } from "./protocol.ts";

/** The host facts every Worker of a pool shares. */
export interface PoolHost {
  /** The C library (unshare, Landlock), or null where there is none. */
  libc: string | null;
  /** Whether Landlock is to be put up; `why` says why not. */
  landlock: boolean;
  why: string | null;
  treeLock: string | null;
}

/** One permission set: a Worker's Deno permissions and its wall order. */
export interface WorkerGrants {
  key: string;
  /** "dev:ino" of each granted directory when the run was checked, in rule order. */
  ids: string[];
  read: string[];
  write: string[];
  order: WallOrder;
}

/** The grants of a Worker that runs a guest with the directory grants `granted`. */
export function grantsFor(granted: DirGrant[], host: PoolHost): WorkerGrants {
  const dirs = granted.map((d) => {
    let id = "?";
    try {
      const st = Deno.statSync(d.host);
      id = `${st.dev}:${st.ino}`;
    } catch {
      // gone: the run reports it; the key only has to differ
    }
    return { host: d.host, access: d.access, id };
  }).sort((a, b) => a.host < b.host ? -1 : a.host > b.host ? 1 : a.access < b.access ? -1 : 1);
  const lock = host.treeLock === null ? [] : [host.treeLock];
  return {
    key: JSON.stringify([dirs.map((d) => [d.host, d.access, d.id]), host]),
    ids: dirs.map((d) => d.id),
    read: [...new Set([...dirs.map((d) => d.host), ...lock])],
    write: [...new Set(dirs.filter((d) => d.access === "read-write").map((d) => d.host))],
    order: {
      t: "wall",
      libc: host.libc,
      landlock: host.landlock,
      why: host.why,
      rules: dirs.map((d) => ({ path: d.host, access: d.access })),
      treeLock: host.treeLock,
    },
  };
}

/** Creates the Worker for `grants`: its permissions are exactly the grants. */
export function spawnWorker(grants: WorkerGrants, libc: string | null): Worker {
  try {
    return newWorker(grants, libc);
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new WaspError(
      "policy_error",
      `the pool cannot create its walled Worker (${why}); run wasp with Deno's --unstable-worker-options and --allow-ffi for the C library, or use the process wall`,
    );
  }
}

function newWorker(grants: WorkerGrants, libc: string | null): Worker {
  return new Worker(new URL("./pool_worker.ts", import.meta.url).href, {
    type: "module",
    name: "wasp-pool-worker",
    deno: {
      permissions: {
        read: grants.read.length > 0 ? grants.read : false,
        write: grants.write.length > 0 ? grants.write : false,
        env: false,
        net: false,
        run: false,
        ffi: libc === null ? false : [libc],
        sys: false,
        import: false,
      },
    },
  } as WorkerOptions);
}
