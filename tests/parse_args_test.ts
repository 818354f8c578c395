/**
 * wasp's own strict argument parser (src/cli/parse_args.ts) accepts, fills and refuses
 * exactly as node:util parseArgs in strict mode does, on wasp's real option tables.
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { assertEquals } from "./helpers/assert.ts";
import { parseArgsStrict } from "../src/cli/parse_args.ts";
import { PYTHON_OPTIONS, RUN_OPTIONS } from "../src/cli/options.ts";

type Result = { ok: unknown } | { code: unknown; message: string };

function outcome(fn: () => { values: unknown; positionals: string[] }): Result {
  try {
    const r = fn();
    // compare plain data: both give null-prototype value objects
    return { ok: JSON.parse(JSON.stringify({ values: r.values, positionals: r.positionals })) };
  } catch (err) {
    return { code: (err as { code?: unknown }).code, message: (err as Error).message };
  }
}

const LINES: string[][] = [
  [],
  ["m.wasm"],
  ["m.wasm", "extra"],
  ["--help"],
  ["-h"],
  ["-h", "m.wasm"],
  ["--pretty", "m.wasm", "--timeout", "100"],
  ["--timeout=100", "m.wasm"],
  ["--timeout", "-1", "m.wasm"],
  ["--timeout=-1", "m.wasm"],
  ["--timeout"],
  ["m.wasm", "--timeout"],
  ["--timeout", "--pretty"],
  ["--pretty=yes"],
  ["--pretty=", "m.wasm"],
  ["--env", "A=1", "--env", "B=2", "--env=C=3"],
  ["--allow-dir", "/a::/b", "--allow-dir-ro", "/c", "m.wasm"],
  ["--allow-dir"],
  ["--unknown"],
  ["--unknown", "value", "m.wasm"],
  ["--unknown=1"],
  ["-x"],
  ["-hx"],
  ["-xh"],
  ["-hh"],
  ["-", "m.wasm"],
  ["--", "--timeout", "x"],
  ["m.wasm", "--", "-h"],
  ["--=x"],
  ["---"],
  ["--timeout", "5", "--timeout", "6", "m.wasm"],
  ["--__proto__"],
  ["--constructor"],
  ["-c", "print(1)"],
  ["-cprint(1)"],
  ["-hcprint(1)"],
  ["-hc", "print(1)"],
  ["-ch"],
  ["-c"],
  ["-c", "-1"],
  ["-c", "-"],
  ["--code", "-x", "--pretty"],
  ["--code=-x"],
  ["-c", "x", "-c", "y", "file.py"],
  ["--stdin", "-", "m.wasm"],
  ["--engine", "wasmer", "--symlinks=deny", "--output-encoding", "base64", "m.wasm"],
];

const TABLES: [string, ParseArgsOptionsConfig][] = [
  ["run", RUN_OPTIONS],
  ["python", PYTHON_OPTIONS],
];

for (const [label, options] of TABLES) {
  for (const allowPositionals of [true, false]) {
    Deno.test(`parseArgsStrict() matches node:util parseArgs on the ${label} options (positionals ${allowPositionals})`, () => {
      for (const args of LINES) {
        const ours = outcome(() => parseArgsStrict(args, options, allowPositionals));
        const node = outcome(() => parseArgs({ args, options, allowPositionals, strict: true }));
        assertEquals(ours, node, `argv ${JSON.stringify(args)}`);
      }
    });
  }
}

Deno.test("parseArgsStrict() collects repeated multiple options in order and keeps the last single one", () => {
  const r = parseArgsStrict(
    ["--env", "A=1", "--env=B=2", "--timeout", "5", "--timeout=6", "m.wasm"],
    RUN_OPTIONS,
    true,
  );
  assertEquals(r.values.env, ["A=1", "B=2"]);
  assertEquals(r.values.timeout, "6");
  assertEquals(r.positionals, ["m.wasm"]);
});
