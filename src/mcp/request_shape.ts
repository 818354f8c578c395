/**
 * The shape check of incoming MCP messages, done by the transport before the SDK sees them: a
 * message that is not JSON-RPC is an invalid request, and a known request whose params have the
 * wrong shape (`"arguments": "abc"`) is answered with "invalid params" in one line — not with
 * the SDK's "internal error" and a multi-line dump.
 * @module
 */
import type { loadMcpServer } from "../deps.ts";
import { INVALID_REQUEST, type JsonRpcMessage, RpcRefusal } from "./stdio_transport.ts";

/** JSON-RPC "invalid params". */
export const INVALID_PARAMS = -32602;

type Types = Awaited<ReturnType<typeof loadMcpServer>>["types"];

interface SafeParser {
  safeParse(v: unknown): {
    success: boolean;
    data?: unknown;
    error?: { issues?: { path: PropertyKey[]; message: string }[] };
  };
}

/** Builds the transport's `check` from the SDK's schemas. */
export function messageChecker(types: Types): (message: unknown) => JsonRpcMessage {
  const known = new Map<string, SafeParser>([
    ["initialize", types.InitializeRequestSchema as unknown as SafeParser],
    ["tools/list", types.ListToolsRequestSchema as unknown as SafeParser],
    ["tools/call", types.CallToolRequestSchema as unknown as SafeParser],
  ]);
  const rpc = types.JSONRPCMessageSchema as unknown as SafeParser;
  return (message) => {
    const base = rpc.safeParse(message);
    if (!base.success) {
      throw new RpcRefusal(INVALID_REQUEST, "the message is not a valid JSON-RPC 2.0 message");
    }
    const m = message as JsonRpcMessage;
    const schema = typeof m.method === "string" ? known.get(m.method) : undefined;
    if (schema !== undefined && "id" in m) {
      const shaped = schema.safeParse(m);
      if (!shaped.success) {
        const issue = shaped.error?.issues?.[0];
        const where = issue ? issue.path.map(String).join(".") : "params";
        throw new RpcRefusal(
          INVALID_PARAMS,
          `${m.method}: ${where || "params"}: ${issue?.message ?? "wrong shape"}`,
        );
      }
    }
    return base.data as JsonRpcMessage;
  };
}
