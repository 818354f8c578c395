/**
 * Tool results. A run's envelope travels once as `structuredContent` (required with an
 * outputSchema) and once as JSON text (what the MCP spec asks for older clients); the text is
 * a placeholder until the transport writes the reply, which streams it from the envelope, so
 * no copy of an envelope holding 64 MiB of guest output is ever built as one string.
 * @module
 */
import type { Envelope } from "../envelope.ts";
import { jsonChunks, StreamedString } from "../json_chunks.ts";
import type { JsonRpcMessage } from "./stdio_transport.ts";

/** Error kinds that make a tool result an error: refusals, timeouts, bad modules. */
const IS_ERROR = new Set([
  "invalid_argument",
  "module_not_found",
  "invalid_module",
  "invalid_manifest",
  "policy_error",
  "timeout",
  "cancelled",
  "internal",
]);

/** Stands for "the JSON of this result's structuredContent" until the reply is written. */
export const ENVELOPE_TEXT = "\u0000wasp:structured-content-json\u0000";

/** The tool result for an envelope. */
export function envelopeResult(envelope: Envelope) {
  return {
    content: [{ type: "text" as const, text: ENVELOPE_TEXT }],
    structuredContent: envelope as unknown as Record<string, unknown>,
    isError: envelope.error_kind !== null && IS_ERROR.has(envelope.error_kind),
  };
}

/** A tool result that is plain JSON data (wasp_policy). */
export function dataResult(data: Record<string, unknown>) {
  return { content: [{ type: "text" as const, text: ENVELOPE_TEXT }], structuredContent: data };
}

/**
 * Replaces the placeholder text of a tools/call response with the streamed JSON of its
 * structuredContent; any other message passes unchanged.
 */
export function expandResultText(message: JsonRpcMessage): unknown {
  const result = message.result as Record<string, unknown> | undefined;
  const content = result?.content;
  if (!Array.isArray(content) || result?.structuredContent === undefined) return message;
  const structured = result.structuredContent;
  if (!content.some((c) => c?.text === ENVELOPE_TEXT)) return message;
  const text = new StreamedString(() => jsonChunks(structured));
  return {
    ...message,
    result: {
      ...result,
      content: content.map((c) => (c?.text === ENVELOPE_TEXT ? { ...c, text } : c)),
    },
  };
}
