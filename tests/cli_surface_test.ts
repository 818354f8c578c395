/**
 * What the help texts and the README promise is what the parsers accept, and the small
 * commands (sample list, schema) behave like the rest: strict arguments, --pretty, clear
 * refusals.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { PARENT_FLAGS, ROOT, tree, wasp } from "./helpers/wasp.ts";
import { COMMAND_SUMMARY, RUN_HELP, SAMPLE_HELP, TASK_HELP } from "../src/cli/help.ts";
import { ERROR_KINDS } from "../src/envelope.ts";
import { RUN_OPTIONS, SAMPLE_RUN_OPTIONS, TASK_OPTIONS } from "../src/cli/options.ts";
import { parseRunArgs } from "../src/cli/run_args.ts";

/** Runs main.ts and returns its raw output (for commands that print no envelope). */
async function raw(args: string[], env?: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...PARENT_FLAGS, `${ROOT}main.ts`, ...args],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** The long options a help text mentions. */
function mentioned(help: string): string[] {
  return [...new Set([...help.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1]))].sort();
}

Deno.test("each help text lists exactly the options its parser accepts", () => {
  assertEquals(mentioned(RUN_HELP), Object.keys(RUN_OPTIONS).sort());
  const sampleRun = SAMPLE_HELP.slice(SAMPLE_HELP.indexOf("Options of"));
  assertEquals(mentioned(sampleRun), Object.keys(SAMPLE_RUN_OPTIONS).sort());
  assertEquals(
    mentioned(TASK_HELP.slice(TASK_HELP.indexOf("Options:"))),
    Object.keys(TASK_OPTIONS).sort(),
  );
});

Deno.test("every value option `wasp run --help` lists parses", () => {
  for (const [name, spec] of Object.entries(RUN_OPTIONS)) {
    if (name === "help") continue;
    const value = name === "engine"
      ? "wasp"
      : name === "output-encoding"
      ? "base64"
      : name === "env"
      ? "A=1"
      : name === "symlinks"
      ? "deny"
      : "1";
    const args = spec.type === "boolean" ? [`--${name}`] : [`--${name}`, value];
    parseRunArgs(["m.wasm", ...args]);
  }
});

Deno.test("the README's command summary is the summary wasp --help prints", async () => {
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  const block = /## Commands\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
  assertEquals(block, COMMAND_SUMMARY);
  const help = await raw(["--help"]);
  assert(help.stdout.includes(COMMAND_SUMMARY.trimEnd().replace(/^/gm, "  ")));
});

Deno.test("sample run accepts every option its help lists", async () => {
  const dir = await tree({ "ws/input.txt": "all options" });
  const r = await wasp([
    "sample",
    "run",
    "workspace-probe",
    "--workspace",
    `${dir}/ws`,
    "--env",
    "A=1",
    "--timeout",
    "20000",
    "--max-memory",
    "64mb",
    "--max-output",
    "1kb",
    "--max-stdin",
    "1kb",
    "--max-sync-files",
    "5",
    "--max-sync-bytes",
    "1mb",
    "--stdin",
    `${dir}/ws/input.txt`,
    "--output-encoding",
    "utf8",
    "--engine",
    "wasp",
  ]);
  assertEquals(r.envelope.stdout, "all options");
  assertEquals(r.envelope.policy?.limits.max_sync_files, 5);
  const pretty = await raw(["sample", "run", "env-report", "--pretty"]);
  assert(pretty.stdout.startsWith('{\n  "status": "success",'), pretty.stdout);
});

Deno.test("sample list rejects stray arguments and honours --pretty", async () => {
  const bogus = await wasp(["sample", "list", "--bogus"]);
  assertEquals(bogus.envelope.error_kind, "invalid_argument");
  assertMatch(bogus.envelope.error!, /unknown option --bogus/);
  assertEquals(bogus.code, 2);
  const extra = await wasp(["sample", "list", "extra"]);
  assertMatch(extra.envelope.error!, /unexpected argument "extra"/);
  const pretty = await raw(["sample", "list", "--pretty"]);
  assertEquals(pretty.code, 0);
  assert(pretty.stdout.startsWith("[\n  {\n"), pretty.stdout);
  assertEquals(JSON.parse(pretty.stdout).length, 3);
});

Deno.test("a negative number is explained as such, not as a missing value", async () => {
  const r = await wasp(["run", await cGuest("hello"), "--timeout", "-1"]);
  assertEquals(r.envelope.error_kind, "invalid_argument");
  assertMatch(r.envelope.error!, /option --timeout must not be negative, not "-1"/);
});

Deno.test("WASP_WALL with an unknown value is refused, not ignored", async () => {
  const r = await wasp(["run", await cGuest("hello")], { env: { WASP_WALL: "bogus" } });
  assertEquals(r.envelope.error_kind, "invalid_argument");
  assertMatch(r.envelope.error!, /WASP_WALL must be "process", "worker" or "pool", not "bogus"/);
  const ok = await wasp(["run", await cGuest("hello")], { env: { WASP_WALL: "process" } });
  assertEquals(ok.envelope.status, "success");
});

Deno.test("wasp schema prints the shipped schemas; task --help points to it", async () => {
  for (const name of ["manifest", "envelope"]) {
    const r = await raw(["schema", name]);
    assertEquals(r.code, 0);
    const shipped = JSON.parse(await Deno.readTextFile(`${ROOT}schemas/${name}.schema.json`));
    assertEquals(JSON.parse(r.stdout), shipped);
  }
  const bad = await wasp(["schema", "bogus"]);
  assertEquals(bad.envelope.error_kind, "invalid_argument");
  assertMatch(bad.envelope.error!, /unknown schema "bogus"/);
  const help = await raw(["task", "--help"]);
  assertMatch(help.stdout, /"wasp schema manifest" prints the JSON\nSchema of manifests/);
  assertEquals(help.stdout.includes("schemas/"), false);
});

Deno.test("a .json manifest is strict JSON; a .jsonc manifest allows comments and trailing commas", async () => {
  const text = '{ "kind": "sample", "sample": "env-report", "env": { "A": "1" }, }';
  const dir = await tree({ "t.json": text, "t.jsonc": `// a comment\n${text}` });
  const strict = await wasp(["task", "run", "--manifest", `${dir}/t.json`]);
  assertEquals(strict.envelope.error_kind, "invalid_manifest");
  assertMatch(
    strict.envelope.error!,
    /is not valid JSON at line 1, column \d+: .*rename it \.jsonc/,
  );
  const loose = await wasp(["task", "run", "--manifest", `${dir}/t.jsonc`]);
  assertEquals(loose.envelope.stdout, "A=1\n");
});

/** The `json` blocks of the README, parsed, in order. */
async function readmeJson(): Promise<Record<string, unknown>[]> {
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  return [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]));
}

Deno.test("the README's example outputs are real output with generic paths", async () => {
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  assertEquals(/\/(work|tmp|root)\//.test(readme), false, "a path of the machine that wrote it");
  const [probeDoc, missingDoc] = await readmeJson();
  const clone = await tree({ "workspace/input.txt": "hello from the host\n" });
  const probe = await wasp(
    ["sample", "run", "workspace-probe", "--workspace", "./workspace"],
    { cwd: clone },
  );
  // the README shows the --pretty form of this very object
  const real = JSON.parse(JSON.stringify(probe.envelope).replaceAll(clone, "/home/you/wasp"));
  real.execution_time_ms = probeDoc.execution_time_ms;
  // the README shows the default wall; CI also runs every test under the worker wall
  assertEquals(
    real.policy.walls.deno,
    Deno.env.get("WASP_WALL") === "worker" ? "worker" : "process",
  );
  real.policy.walls.deno = "process";
  assertEquals(real, probeDoc);
  const missing = await wasp(["run", "./missing.wasm"], { cwd: clone });
  missing.envelope.execution_time_ms = missingDoc.execution_time_ms as number;
  assertEquals(missing.envelope, missingDoc);
});

Deno.test("the envelope schema lists exactly wasp's error kinds, cancelled included", async () => {
  const schema = JSON.parse(await Deno.readTextFile(`${ROOT}schemas/envelope.schema.json`));
  assertEquals(schema.properties.error_kind.enum, [null, ...ERROR_KINDS]);
  assert(ERROR_KINDS.includes("cancelled"));
});
