/**
 * `wasp schema manifest|envelope|stream`: prints a JSON Schema shipped inside wasp (imported as JSON,
 * so it works the same from a checkout, a URL or a compiled binary).
 * @module
 */
import { refusal } from "../envelope.ts";
import envelopeSchema from "../../schemas/envelope.schema.json" with { type: "json" };
import manifestSchema from "../../schemas/manifest.schema.json" with { type: "json" };
import streamSchema from "../../schemas/stream_event.schema.json" with { type: "json" };
import { SCHEMA_HELP } from "./help.ts";
import { reply, writeOut } from "./output.ts";

/** The shipped schemas by name. */
export const SCHEMAS: Readonly<Record<string, unknown>> = {
  manifest: manifestSchema,
  envelope: envelopeSchema,
  stream: streamSchema,
};

/** Runs `wasp schema ...` with the arguments after `schema`; returns the exit status. */
export async function schemaCommand(argv: string[]): Promise<number> {
  const [name, ...extra] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    await writeOut(SCHEMA_HELP);
    return 0;
  }
  if (extra.length > 0 || !Object.hasOwn(SCHEMAS, name)) {
    const what = extra.length > 0
      ? `unexpected argument "${extra[0]}"`
      : `unknown schema "${name}"`;
    return await reply(
      refusal(
        "invalid_argument",
        `${what}; use "wasp schema manifest", "wasp schema envelope" or "wasp schema stream"`,
      ),
      false,
    );
  }
  await writeOut(JSON.stringify(SCHEMAS[name], null, 2) + "\n");
  return 0;
}
