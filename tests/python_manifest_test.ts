/**
 * Task manifests of kind "python" (parser and schema), and the examples/python job run both
 * from the command line and as a manifest.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { schemaValidator } from "./helpers/schema.ts";
import { ROOT, tree, wasp } from "./helpers/wasp.ts";
import { WaspError } from "../src/envelope.ts";
import { manifestInput, parseManifest } from "../src/manifest.ts";
import { parseJsonc } from "../src/manifest_syntax.ts";

function manifestError(value: unknown): string {
  try {
    parseManifest(value, "m.json");
  } catch (err) {
    assert(err instanceof WaspError);
    assertEquals(err.kind, "invalid_manifest");
    return err.message;
  }
  throw new Error(`accepted: ${JSON.stringify(value)}`);
}

Deno.test("a python manifest needs exactly one of code and script, and takes no engine or module", async () => {
  const validate = await schemaValidator("manifest.schema.json");
  const bad: [unknown, RegExp][] = [
    [{ kind: "python" }, /field "code" or "script" is required, and only one/],
    [{ kind: "python", code: "1", script: "a.py" }, /only one of them/],
    [{ kind: "python", script: "-" }, /field "script" must name a file/],
    [{ kind: "python", code: "" }, /field "code" must not be empty/],
    [{ kind: "python", code: "1", engine: "wasmer" }, /field "engine" is not allowed here/],
    [{ kind: "python", code: "1", module: "m.wasm" }, /field "module" is not allowed here/],
  ];
  for (const [value, message] of bad) {
    assertMatch(manifestError(value), message);
    assert(validate(value) !== null, `schema accepted ${JSON.stringify(value)}`);
  }
  const good = { kind: "python", script: "job.py", allow_dirs: [{ path: "data" }], args: ["x"] };
  assertEquals(validate(good), null);
  assertEquals(validate({ kind: "python", code: "print(1)" }), null);
  const example = await Deno.readTextFile(`${ROOT}examples/python/task.jsonc`);
  assertEquals(validate(await parseJsonc(example, "task.jsonc")), null);
});

Deno.test("a python manifest's script and grants resolve against the manifest's directory", async () => {
  const dir = await tree({ "data/": "" });
  const m = parseManifest(
    { kind: "python", script: "job.py", allow_dirs: [{ path: "data", guest: "/data" }] },
    "m.json",
  );
  const { python, input } = manifestInput(m, "m.json", dir);
  assertEquals(python, { script: `${dir}/job.py` });
  assertEquals(input.dirs, [{ host: `${dir}/data`, guest: "/data", access: "read-write" }]);
  assertEquals("engine" in input, false);
});

Deno.test("examples/python: the agent job reads its CSV read-only and writes its report, from the CLI and as a task", async () => {
  const dir = await tree();
  await Deno.mkdir(`${dir}/cli/out`, { recursive: true });
  await Deno.mkdir(`${dir}/task/out`, { recursive: true });
  for (const copy of ["cli", "task"]) {
    await Deno.mkdir(`${dir}/${copy}/data`);
    await Deno.copyFile(`${ROOT}examples/python/data/sales.csv`, `${dir}/${copy}/data/sales.csv`);
    await Deno.copyFile(`${ROOT}examples/python/analyze.py`, `${dir}/${copy}/analyze.py`);
  }
  await Deno.copyFile(`${ROOT}examples/python/task.jsonc`, `${dir}/task/task.jsonc`);
  const [cli, task] = await Promise.all([
    wasp(
      [
        "python",
        "analyze.py",
        "--allow-dir-ro",
        "data::/data",
        "--allow-dir",
        "out::/out",
        "--",
        "/data/sales.csv",
      ],
      { cwd: `${dir}/cli` },
    ),
    wasp(["task", "run", "--manifest", `${dir}/task/task.jsonc`]),
  ]);
  const report = [
    "# Sales by region",
    "",
    "| region | units | revenue |",
    "| --- | ---: | ---: |",
    "| east | 9 | 82.50 |",
    "| north | 15 | 60.00 |",
    "| south | 12 | 38.50 |",
    "",
  ].join("\n");
  for (const [copy, r] of [["cli", cli], ["task", task]] as const) {
    assertEquals(r.code, 0, `${copy}: ${r.envelope.error} ${r.envelope.stderr}`);
    assertEquals(r.envelope.stdout, '{"regions": 3, "best": "east", "revenue": 181.0}\n');
    assertEquals(await Deno.readTextFile(`${dir}/${copy}/out/report.md`), report);
    assertEquals(r.envelope.policy?.runtime?.name, "cpython");
  }
});
