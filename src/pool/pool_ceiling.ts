/**
 * A pool's ceiling: the most any of its runs may reach. Checked on the built Policy (whose
 * paths are canonical), so a run is refused before anything is started for it.
 * @module
 */
import { WaspError } from "../envelope.ts";
import { within } from "../grant_paths.ts";
import type { Access, Policy } from "../policy.ts";

/** What runs of a pool may use at most. */
export interface PoolCeiling {
  /** Canonical host directories runs may grant (a read-write grant needs a read-write one). */
  dirs: { host: string; access: Access }[];
  /** Canonical directories modules may be read from (besides `dirs`). */
  moduleDirs?: string[];
  /** Modules that may run wherever they are (the Python runtime), by canonical path. */
  modules?: string[];
  /** Env keys runs may set (omitted: any). */
  envKeys?: string[];
  /** Largest limits a run may ask for (0 timeout: a run must have one). */
  maxTimeoutMs?: number;
  maxMemoryBytes?: number;
  maxOutputBytes?: number;
  maxStdinBytes?: number;
  /** Largest module a run may run (compiling one blocks the pool's thread meanwhile). */
  maxModuleBytes?: number;
  /** Whether a run may read the serving process's own stdin (never under `wasp serve`). */
  inheritStdin?: boolean;
}

function deny(message: string): never {
  throw new WaspError("policy_error", message);
}

/**
 * Whether `path` may be granted with `access`: the innermost ceiling directory holding it
 * decides (a read-only directory nested in a read-write one stays read-only).
 */
function inside(path: string, ceiling: PoolCeiling, access: Access): boolean {
  let best: { host: string; access: Access } | null = null;
  for (const c of ceiling.dirs) {
    if (!within(path, c.host) || (best !== null && c.host.length < best.host.length)) continue;
    // read-only wins a tie
    if (best === null || c.host.length > best.host.length || c.access === "read-only") best = c;
  }
  return best !== null && (access === "read-only" || best.access === "read-write");
}

/** Throws a policy_error unless `policy` stays within `ceiling`. */
export function checkCeiling(policy: Policy, ceiling: PoolCeiling): void {
  for (const d of policy.dirs) {
    if (!inside(d.host, ceiling, d.access)) {
      deny(
        `${d.host} is not inside a ${
          d.access === "read-write" ? "read-write " : ""
        }directory this server allows; ask for one inside its --allow-dir directories`,
      );
    }
    if (d.access !== "read-write") continue;
    // the ceiling's read-only directories inside a read-write grant must stay read-only
    for (const c of ceiling.dirs) {
      if (
        c.access === "read-only" && within(c.host, d.host) &&
        !policy.readOnlyPaths.some((p) => within(c.host, p))
      ) {
        deny(`${c.host} is read-only on this server; grant it, or ${d.host}, read-only`);
      }
    }
  }
  // by where the module really is: a symlink in an allowed directory may lead anywhere
  let module = policy.modulePath;
  try {
    module = Deno.realPathSync(module);
  } catch {
    // read a moment ago; checked by its path as given
  }
  const moduleOk = (ceiling.modules ?? []).some((m) => m === module || m === policy.modulePath) ||
    (ceiling.moduleDirs ?? []).some((m) => within(module, m)) ||
    inside(module, ceiling, "read-only");
  if (!moduleOk) {
    deny(
      `module ${policy.moduleName} is not inside a directory this server allows (--module-dir or --allow-dir)`,
    );
  }
  if (ceiling.maxModuleBytes !== undefined && policy.moduleBytes.length > ceiling.maxModuleBytes) {
    deny(
      `module ${policy.moduleName} is ${policy.moduleBytes.length} bytes, above this server's limit of ${ceiling.maxModuleBytes}; run it with wasp run`,
    );
  }
  const stdin = policy.stdin;
  if (stdin.kind === "file" && !inside(stdin.path, ceiling, "read-only")) {
    deny(`stdin file ${stdin.path} is not inside a directory this server allows`);
  }
  if (stdin.kind === "inherit" && ceiling.inheritStdin !== true) {
    deny("stdin cannot be inherited here; pass the bytes in the request or a file");
  }
  if (ceiling.envKeys !== undefined) {
    for (const [key] of policy.env) {
      if (!ceiling.envKeys.includes(key)) {
        deny(`env key ${key} is not allowed by this server; its --env flags name the keys`);
      }
    }
  }
  const { timeoutMs, maxMemoryBytes, maxOutputBytes, maxStdinBytes } = policy.limits;
  const max = ceiling.maxTimeoutMs;
  if (max !== undefined && max > 0 && (timeoutMs === 0 || timeoutMs > max)) {
    deny(`a timeout of ${timeoutMs || "none"} ms is above this server's --max-timeout of ${max}`);
  }
  if (ceiling.maxMemoryBytes !== undefined && maxMemoryBytes > ceiling.maxMemoryBytes) {
    deny(`max memory ${maxMemoryBytes} is above this server's --max-memory`);
  }
  if (ceiling.maxOutputBytes !== undefined && maxOutputBytes > ceiling.maxOutputBytes) {
    deny(`max output ${maxOutputBytes} is above this server's --max-output`);
  }
  if (ceiling.maxStdinBytes !== undefined && maxStdinBytes > ceiling.maxStdinBytes) {
    deny(`max stdin ${maxStdinBytes} is above this server's limit of ${ceiling.maxStdinBytes}`);
  }
}
