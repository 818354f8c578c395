/**
 * JSON/JSONC text → plain value, with errors that give line and column, and duplicate keys
 * refused (a manifest must not mean two things).
 * @module
 */
import { loadJsonc } from "./deps.ts";
import { WaspError } from "./envelope.ts";

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/** Deepest nesting of objects and arrays a manifest may use (real ones need four). */
export const MAX_MANIFEST_DEPTH = 64;

/**
 * The offset of the first bracket nested deeper than `max` (strings and comments skipped),
 * or -1. Checked before parsing: the parser recurses and a deep enough text would exhaust
 * the stack.
 */
export function tooDeepAt(text: string, max: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (c === "{" || c === "[") {
      if (++depth > max) return i;
    } else if (c === "}" || c === "]") depth--;
  }
  return -1;
}

/**
 * Parses manifest text; throws invalid_manifest with a position on any syntax problem.
 * A file named `*.json` is strict JSON (no comments, no trailing commas); any other name
 * (`*.jsonc`) is JSON with comments and trailing commas.
 */
export async function parseJsonc(text: string, file: string): Promise<unknown> {
  const deep = tooDeepAt(text, MAX_MANIFEST_DEPTH);
  if (deep !== -1) {
    throw new WaspError(
      "invalid_manifest",
      `manifest ${file} nests objects or arrays deeper than ${MAX_MANIFEST_DEPTH} levels at ${
        lineCol(text, deep)
      }; flatten it`,
    );
  }
  const jsonc = await loadJsonc();
  const strict = /\.json$/i.test(file);
  const errors: { error: number; offset: number; length: number }[] = [];
  const root = jsonc.parseTree(text, errors, {
    allowTrailingComma: !strict,
    disallowComments: strict,
  });
  if (errors.length > 0) {
    const e = errors[0];
    const hint = strict
      ? "; fix the syntax (a .json manifest is strict JSON: rename it .jsonc for comments and trailing commas)"
      : "; fix the syntax";
    throw new WaspError(
      "invalid_manifest",
      `manifest ${file} is not valid ${strict ? "JSON" : "JSONC"} at ${lineCol(text, e.offset)}: ${
        jsonc.printParseErrorCode(e.error as Parameters<typeof jsonc.printParseErrorCode>[0])
      }${hint}`,
    );
  }
  if (!root) {
    throw new WaspError("invalid_manifest", `manifest ${file} is empty; write a JSON object`);
  }
  type Node = NonNullable<typeof root>;
  const check = (node: Node, path: string) => {
    if (node.type === "object") {
      const seen = new Set<string>();
      for (const prop of node.children ?? []) {
        const [key, value] = prop.children ?? [];
        const name = String(key?.value);
        if (seen.has(name)) {
          throw new WaspError(
            "invalid_manifest",
            `manifest ${file} repeats the field "${path}${name}" at ${
              lineCol(text, key!.offset)
            }; keep one`,
          );
        }
        seen.add(name);
        if (value) check(value, `${path}${name}.`);
      }
    } else if (node.type === "array") {
      (node.children ?? []).forEach((c, i) => check(c, `${path.replace(/\.$/, "")}[${i}].`));
    }
  };
  check(root, "");
  return jsonc.getNodeValue(root);
}
