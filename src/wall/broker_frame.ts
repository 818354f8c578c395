/**
 * The parent's reading of one BROKER_REQUEST frame: size-capped and parsed defensively, so
 * that an oversized or malformed request is the guest's error (an errno for its call), never
 * a failure of the run.
 * @module
 */
import type { Broker } from "./broker_client.ts";
import {
  type BrokerRequest,
  type BrokerResponse,
  MAX_BROKER_PATH,
  MAX_BROKER_REQUEST,
} from "./protocol.ts";

function isDir(v: unknown): boolean {
  const d = v as { host?: unknown; dev?: unknown; ino?: unknown } | null;
  return typeof d?.host === "string" && typeof d.dev === "number" && typeof d.ino === "number";
}

/** The request in a BROKER_REQUEST payload, or the errno that answers it. */
export function parseBrokerFrame(payload: Uint8Array): BrokerRequest | BrokerResponse {
  if (payload.length > MAX_BROKER_REQUEST) return { error: "ENAMETOOLONG" };
  let req: BrokerRequest;
  try {
    req = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return { error: "EINVAL" };
  }
  if (typeof req?.name !== "string" || !isDir(req.dir)) return { error: "EINVAL" };
  if (req.op === "symlink") {
    if (typeof req.target !== "string") return { error: "EINVAL" };
    if (req.target.length > MAX_BROKER_PATH) return { error: "ENAMETOOLONG" };
  } else if (req.op === "lutimes") {
    if (typeof req.atime !== "number" || typeof req.mtime !== "number") return { error: "EINVAL" };
  } else {
    return { error: "ENOSYS" };
  }
  if (req.name.length > MAX_BROKER_PATH || req.dir.host.length > MAX_BROKER_PATH) {
    return { error: "ENAMETOOLONG" };
  }
  return req;
}

/** Answers one BROKER_REQUEST frame payload through the run's broker. */
export async function handleBrokerFrame(
  broker: Broker,
  payload: Uint8Array,
): Promise<BrokerResponse> {
  const req = parseBrokerFrame(payload);
  return "error" in req ? req : await broker.handle(req);
}
