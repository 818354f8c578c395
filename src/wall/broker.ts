/**
 * Operations the walled child cannot perform under scoped permissions: creating a symlink,
 * and setting a symlink's own times. They need unscoped permissions, so they act only on a
 * pinned directory: enter the directory the child named, check that it is the same object
 * (device, inode) the child checked and that it really lies in a read-write grant, then act
 * on one name in it. All of it is one synchronous block, so no other task of the process runs
 * (or sees the working directory) meanwhile. Where the kernel wall is available they run in
 * a broker process confined by Landlock to the read-write grants (broker_process.ts), so a
 * path swapped by a host process between the check and the act still cannot lead out;
 * elsewhere the parent runs them itself.
 * @module
 */
import { grantAt, symlinkStaysWithin } from "../grant_paths.ts";
import type { Policy } from "../policy.ts";

/** What the broker needs of a policy. */
export type BrokerPolicy = Pick<Policy, "dirs" | "symlinks">;
import type { PinnedDir } from "../engine/mod.ts";
import { type BrokerRequest, type BrokerResponse, MAX_BROKER_PATH } from "./protocol.ts";

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") return code;
  if (err instanceof Deno.errors.NotFound) return "ENOENT";
  if (err instanceof Deno.errors.AlreadyExists) return "EEXIST";
  return "EIO";
}

function validName(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." && !name.includes("/") &&
    !name.includes("\0") && name.length <= MAX_BROKER_PATH;
}

/**
 * Runs `act` with the working directory pinned at `dir`, after checking `dir` against the
 * policy and its identity; restores the working directory afterwards.
 */
function inPinnedDir(policy: BrokerPolicy, dir: PinnedDir, act: () => void): BrokerResponse {
  if (!dir.host.startsWith("/") || dir.host.split("/").some((c) => c === ".." || c === ".")) {
    return { error: "EINVAL" };
  }
  const grant = grantAt(policy.dirs, dir.host);
  if (grant === null) return { error: "ENOTCAPABLE" };
  if (grant.access !== "read-write") return { error: "EROFS" };
  let saved: string | null = null;
  try {
    saved = Deno.cwd();
  } catch {
    // the working directory was removed (a guest may remove one inside its grant)
  }
  try {
    Deno.chdir(dir.host);
    const here = Deno.statSync(".");
    if (here.dev !== dir.dev || here.ino !== dir.ino) return { error: "ENOTCAPABLE" };
    // where the directory really is now (a host process may have moved it)
    if (grantAt(policy.dirs, Deno.realPathSync("."))?.access !== "read-write") {
      return { error: "ENOTCAPABLE" };
    }
    act();
    return { error: null };
  } catch (err) {
    return { error: codeOf(err) };
  } finally {
    backTo(saved);
  }
}

/** Returns to the working directory `saved`, or leaves none when it is gone (null: it was). */
function backTo(saved: string | null): void {
  try {
    if (saved !== null) return Deno.chdir(saved);
  } catch {
    // removed meanwhile
  }
  leftRemoved();
}

/**
 * Leaves the process without a working directory, as the broker found it (or as it would be
 * had the broker not moved): its relative paths keep failing instead of resolving from some
 * other directory, such as "/", which would grant a host's next relative path the wrong
 * directory. Only where no temporary directory can be made is "/" the fallback.
 */
function leftRemoved(): void {
  try {
    const gone = Deno.makeTempDirSync({ prefix: "wasp-gone-" });
    Deno.chdir(gone);
    Deno.removeSync(gone);
  } catch {
    Deno.chdir("/");
  }
}

/** Creates the symlink `name` -> `target` in the pinned directory `dir`. */
export function brokerSymlink(
  policy: BrokerPolicy,
  dir: PinnedDir,
  name: string,
  target: string,
): BrokerResponse {
  if (!validName(name)) return { error: "EINVAL" };
  if (target === "" || target.includes("\0")) return { error: "ENOENT" };
  if (target.length > MAX_BROKER_PATH) return { error: "ENAMETOOLONG" };
  if (policy.symlinks === "deny") return { error: "EPERM" };
  const grant = grantAt(policy.dirs, dir.host);
  if (grant !== null && !symlinkStaysWithin(dir.host, target, grant.host)) {
    return { error: "EPERM" };
  }
  return inPinnedDir(policy, dir, () => Deno.symlinkSync(target, name));
}

/** Sets the own times (seconds) of the symlink `name` in the pinned directory `dir`. */
export async function brokerLutimes(
  policy: BrokerPolicy,
  dir: PinnedDir,
  name: string,
  atime: number,
  mtime: number,
): Promise<BrokerResponse> {
  if (!validName(name) || !Number.isFinite(atime) || !Number.isFinite(mtime)) {
    return { error: "EINVAL" };
  }
  // loaded only when a guest asks: node:fs costs tens of milliseconds to load
  const { lstatSync, lutimesSync } = await import("node:fs");
  return inPinnedDir(policy, dir, () => {
    if (!lstatSync(name).isSymbolicLink()) throw Object.assign(new Error(), { code: "EINVAL" });
    lutimesSync(name, atime, mtime);
  });
}

/** Answers one broker request. */
export async function handleBrokerRequest(
  policy: BrokerPolicy,
  req: BrokerRequest,
): Promise<BrokerResponse> {
  if (req.op === "symlink") return brokerSymlink(policy, req.dir, req.name, req.target);
  if (req.op === "lutimes") {
    return await brokerLutimes(policy, req.dir, req.name, req.atime, req.mtime);
  }
  return { error: "ENOSYS" };
}
