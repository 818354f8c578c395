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

/**
 * Parses manifest text; throws invalid_manifest with a position on any syntax problem.
 * A file named `*.json` is strict JSON (no comments, no trailing commas); any other name
 * (`*.jsonc`) is JSON with comments and trailing commas.
 */
export async function parseJsonc(text: string, file: string): Promise<unknown> {
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
