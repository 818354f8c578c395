/**
 * `wasp python`'s edges without the interpreter running: argument errors, library input,
 * the pinned hash, and that only Python runs resolve the Python package.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { PARENT_FLAGS, ROOT, tree } from "./helpers/wasp.ts";
import { parsePythonArgs } from "../src/cli/python_args.ts";
import { WaspError } from "../src/envelope.ts";
import { buildPolicy } from "../src/policy.ts";
import { type PythonInput, runPython } from "../src/runtimes/python_run.ts";
import {
  checkPythonHash,
  packageModulePath,
  PYTHON_RUNTIME,
  pythonModulePath,
} from "../src/runtimes/python_runtime.ts";
import { stripDebugSections } from "../src/runtimes/wasm_strip.ts";
import { createHash } from "node:crypto";
import { childCommand } from "../src/wall/child_command.ts";
import { denoDir } from "../src/deno_dir.ts";

function refusal(argv: string[]): string {
  try {
    parsePythonArgs(argv);
  } catch (err) {
    assert(err instanceof WaspError);
    assertEquals(err.kind, "invalid_argument");
    return err.message;
  }
  throw new Error(`accepted: ${argv.join(" ")}`);
}

Deno.test("wasp python refuses a missing program, two programs, stray arguments and --engine", () => {
  assertMatch(refusal([]), /missing program: use "wasp python -c CODE"/);
  assertMatch(refusal(["-c", "print(1)", "x.py"]), /either -c CODE or a script/);
  assertMatch(
    refusal(["a.py", "b.py"]),
    /unexpected argument "b.py"; put the program's arguments after --/,
  );
  assertMatch(refusal(["-", "--stdin", "in.txt"]), /read from stdin; --stdin cannot be given too/);
  assertMatch(refusal(["-c", "1", "--engine", "wasmer"]), /unknown option --engine/);
  assertMatch(refusal(["-c", "1", "--max-sync-files", "3"]), /unknown option --max-sync-files/);
});

Deno.test("wasp python parses -c, a script and - with run's policy options and guest args", () => {
  const code = parsePythonArgs([
    "-c",
    "print(1)",
    "--allow-dir-ro",
    "data::/data",
    "--env",
    "K=V",
    "--timeout",
    "5000",
    "--",
    "-x",
  ]);
  assertEquals(code.input.code, "print(1)");
  assertEquals(code.input.args, ["-x"]);
  assertEquals(code.input.dirs, [{ host: "data", guest: "/data", access: "read-only" }]);
  assertEquals(code.input.limits, { timeoutMs: 5000 });
  assertEquals(parsePythonArgs(["job.py"]).input.script, "job.py");
  const dash = parsePythonArgs(["-"]).input;
  assertEquals([dash.script, dash.stdin], ["-", { kind: "inherit" }]);
});

Deno.test("runPython() refuses bad input as invalid_argument envelopes, never internal", async () => {
  const root = await tree({ "dir/": "", "fifo_dir/": "" });
  const cases: [unknown, RegExp][] = [
    [{}, /exactly one of code .* and script/],
    [{ code: "1", script: "a.py" }, /exactly one of code/],
    [{ code: 7 }, /code must be a string/],
    [{ code: "1", engine: "wasmer" }, /Python always runs on the wasp engine/],
    [{ code: "1", module: "/bin/sh" }, /module is not a field/],
    [{ script: `${root}/missing.py` }, /does not exist/],
    [{ script: `${root}/dir` }, /is not a regular file/],
    [{ code: "1", args: "x" }, /args must be an array/],
  ];
  for (const [input, message] of cases) {
    const envelope = await runPython(input as PythonInput);
    assertEquals(envelope.error_kind, "invalid_argument", JSON.stringify(input));
    assertMatch(envelope.error!, message);
  }
});

Deno.test("a Python runtime whose bytes are not the pinned ones is refused", () => {
  checkPythonHash(PYTHON_RUNTIME.sha256, "/x/python.wasm");
  checkPythonHash(PYTHON_RUNTIME.strippedSha256, "/x/python.wasm");
  try {
    checkPythonHash("0".repeat(64), "/x/python.wasm");
    throw new Error("accepted a wrong hash");
  } catch (err) {
    assert(err instanceof WaspError);
    assertEquals(err.kind, "invalid_module");
    assertMatch(err.message, /not a pinned one \(e5dc5a398b07… or 324728b694d0…\)/);
  }
});

Deno.test("the walled child of a Python run may read its module and nothing else of Deno's cache", async () => {
  const wasm = await pythonModulePath();
  assert(wasm.endsWith(`/wasp/python-3.12.0-${PYTHON_RUNTIME.strippedSha256}.wasm`), wasm);
  const policy = buildPolicy({ module: wasm, displayName: "python", args: ["-c", "1"] });
  const cmd = childCommand(policy, { wall: "process", libc: null });
  const reads = cmd.args.find((a) => a.startsWith("--allow-read="))!.slice(13).split(",");
  const cache = denoDir()!;
  assertEquals(reads.filter((p) => p.startsWith(cache)), [wasm]);
});

Deno.test("the copy without debug sections is reproducible, pinned, and the one wasp caches and runs", async () => {
  const original = Deno.readFileSync(await packageModulePath());
  const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
  assertEquals(sha(original), PYTHON_RUNTIME.sha256);
  const once = stripDebugSections(original);
  assertEquals(sha(once), PYTHON_RUNTIME.strippedSha256);
  assertEquals(sha(stripDebugSections(original)), sha(once));
  assertEquals(sha(stripDebugSections(once)), sha(once));
  const names = (b: Uint8Array) =>
    WebAssembly.Module.customSections(new WebAssembly.Module(b as BufferSource), ".debug_info")
      .length;
  assertEquals([names(original), names(once)], [1, 0]);
  assertEquals(Deno.readFileSync(await pythonModulePath()), once);
});

Deno.test("wasp run never resolves the Python package: a fresh Deno cache stays without it", async () => {
  const denoDir = await tree();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--cached-only", ...PARENT_FLAGS, `${ROOT}main.ts`, "run", await cGuest("hello")],
    env: { DENO_DIR: denoDir },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const envelope = JSON.parse(new TextDecoder().decode(out.stdout));
  assertEquals(envelope.status, "success", envelope.error);
  // --cached-only with an empty cache: nothing was fetched, and nothing names the package
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of Deno.readDirSync(dir)) {
      if (e.name.includes("python-wasi") || e.name === "@antonz") found.push(`${dir}/${e.name}`);
      if (e.isDirectory) walk(`${dir}/${e.name}`);
    }
  };
  walk(denoDir);
  assertEquals(found, []);
});
