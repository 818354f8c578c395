/**
 * Tool arguments checked against the very JSON Schema each tool publishes (tools/list), before
 * anything runs: a field the schema does not know, a wrong type or a value outside an enum is
 * refused with `invalid_argument` naming the field, never ignored or guessed at.
 * @module
 */
import { type AjvError, loadAjv } from "../deps.ts";
import { WaspError } from "../envelope.ts";
import { toolList } from "./tools.ts";

/** Checks one tool's arguments; throws a WaspError naming the first bad field. */
export type ArgsCheck = (args: unknown) => void;

/** `/mounts/0/mode` → `mounts[0].mode`. */
function fieldName(path: string, extra?: string): string {
  const parts = path.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (extra !== undefined) parts.push(extra);
  let out = "";
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}

function describe(tool: string, e: AjvError): string {
  const p = e.params;
  switch (e.keyword) {
    case "additionalProperties": {
      const field = fieldName(e.instancePath, String(p.additionalProperty));
      return `${tool} argument ${field} is not a field of this tool; see its inputSchema in tools/list`;
    }
    case "required":
      return `${tool} argument ${fieldName(e.instancePath, String(p.missingProperty))} is required`;
    case "enum": {
      const allowed = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(" or ");
      return `${tool} argument ${fieldName(e.instancePath)} must be ${allowed}`;
    }
    case "type":
      return `${tool} argument ${fieldName(e.instancePath) || "(the arguments)"} must be ${
        p.type === "integer" ? "a whole number" : `of type ${p.type}`
      }`;
    default:
      return `${tool} argument ${fieldName(e.instancePath) || "(the arguments)"} ${e.message}`;
  }
}

/** Compiles a checker for every tool's published inputSchema. */
export async function argsCheckers(): Promise<Map<string, ArgsCheck>> {
  const compile = await loadAjv();
  const checks = new Map<string, ArgsCheck>();
  for (const tool of toolList()) {
    const validate = compile(tool.inputSchema);
    checks.set(tool.name, (args) => {
      if (validate(args)) return;
      const first = validate.errors?.[0];
      throw new WaspError(
        "invalid_argument",
        first ? describe(tool.name, first) : `${tool.name} arguments do not match its inputSchema`,
      );
    });
  }
  return checks;
}
