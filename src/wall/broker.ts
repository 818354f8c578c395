/**
 * The parent's side of operations the walled child cannot perform under scoped
 * permissions. Each request is checked against the policy before anything is done.
 * @module
 */
import { accessAt, parentOf } from "../grant_paths.ts";
import type { Policy } from "../policy.ts";
import type { BrokerRequest, BrokerResponse } from "./protocol.ts";

/** Creates a symlink for the child after checking that its location is writable. */
export function brokerSymlink(policy: Policy, target: string, path: string): BrokerResponse {
  if (!path.startsWith("/") || path.split("/").some((c) => c === ".." || c === ".")) {
    return { error: "EINVAL" };
  }
  if (target === "" || target.includes("\0")) return { error: "ENOENT" };
  if (target.startsWith("/")) return { error: "EPERM" };
  const parent = parentOf(path);
  try {
    if (Deno.realPathSync(parent) !== parent) return { error: "ENOTCAPABLE" };
  } catch {
    return { error: "ENOENT" };
  }
  const access = accessAt(policy.dirs, path);
  if (access === null) return { error: "ENOTCAPABLE" };
  if (access !== "read-write") return { error: "EROFS" };
  try {
    Deno.symlinkSync(target, path);
    return { error: null };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return { error: typeof code === "string" ? code : "EIO" };
  }
}

/** Answers one broker request. */
export function handleBrokerRequest(policy: Policy, req: BrokerRequest): BrokerResponse {
  if (req.op === "symlink") return brokerSymlink(policy, req.target, req.path);
  return { error: "ENOSYS" };
}
