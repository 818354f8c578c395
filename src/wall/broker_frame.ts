/**
 * The parent's reading of one BROKER_REQUEST frame: size-capped and parsed defensively, so
 * that an oversized or malformed request is the guest's error (an errno for its call), never
 * a failure of the run.
 * @module
 */
import type { Policy } from "../policy.ts";
import { handleBrokerRequest } from "./broker.ts";
import {
  type BrokerRequest,
  type BrokerResponse,
  MAX_BROKER_PATH,
  MAX_BROKER_REQUEST,
} from "./protocol.ts";

/** Answers one BROKER_REQUEST frame payload. */
export function handleBrokerFrame(policy: Policy, payload: Uint8Array): BrokerResponse {
  if (payload.length > MAX_BROKER_REQUEST) return { error: "ENAMETOOLONG" };
  let req: BrokerRequest;
  try {
    req = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return { error: "EINVAL" };
  }
  if (typeof req?.target !== "string" || typeof req?.path !== "string") return { error: "EINVAL" };
  if (req.target.length > MAX_BROKER_PATH || req.path.length > MAX_BROKER_PATH) {
    return { error: "ENAMETOOLONG" };
  }
  return handleBrokerRequest(policy, req);
}
