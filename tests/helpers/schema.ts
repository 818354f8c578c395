/**
 * JSON Schema validation for tests, with ajv's draft 2020-12 validator.
 * @module
 */
// deno-lint-ignore no-import-prefix
import Ajv2020Module from "npm:ajv@8.17.1/dist/2020.js";

// deno-lint-ignore no-explicit-any
const Ajv2020 = (Ajv2020Module as any).default ?? Ajv2020Module;

/** Validator for a schema under schemas/. */
export async function schemaValidator(
  name: string,
): Promise<(value: unknown) => string | null> {
  const schema = JSON.parse(
    await Deno.readTextFile(new URL(`../../schemas/${name}`, import.meta.url)),
  );
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  const validate = ajv.compile(schema);
  return (value: unknown) => (validate(value) ? null : ajv.errorsText(validate.errors));
}
