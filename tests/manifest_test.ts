import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { schemaValidator } from "./helpers/schema.ts";
import { cGuest } from "./helpers/guests.ts";
import { ROOT, tree, wasp } from "./helpers/wasp.ts";

/** Copies manifests/ to a temp dir and builds the module the wasm-run example names. */
async function manifestsCopy(): Promise<string> {
  const dir = await tree();
  await new Deno.Command("cp", { args: ["-r", `${ROOT}manifests/.`, dir] }).output();
  const b = await wasp(["sample", "build", "workspace-probe", `${dir}/workspace-probe.wasm`]);
  assertEquals(b.envelope.status, "success");
  return dir;
}

Deno.test("task run: the sample manifest probes its workspace (JSON)", async () => {
  const dir = await manifestsCopy();
  const r = await wasp(["task", "run", "--manifest", `${dir}/sample-probe.json`]);
  assertEquals(r.envelope.status, "success");
  assertEquals(r.envelope.stdout, "hello from the manifest workspace\n");
  assertEquals(r.envelope.policy?.dirs[0].host, `${dir}/workspace`);
  assertEquals(r.envelope.policy?.env_keys, ["TASK_ID"]);
});

Deno.test("task run: a JSONC manifest with comments sets env and limits", async () => {
  const dir = await manifestsCopy();
  const r = await wasp(["task", "run", "--manifest", `${dir}/sample-env.jsonc`], {
    env: { WASP_TEST_SECRET: "x" },
  });
  assertEquals(r.envelope.stdout, "TASK_ID=abc123\nMODE=review\n");
  assertEquals(r.envelope.policy?.limits, {
    timeout_ms: 5000,
    max_memory_bytes: 512 * 1024 * 1024,
    max_output_bytes: 65536,
    max_stdin_bytes: 64 * 1024 * 1024,
    max_sync_files: 10_000,
    max_sync_bytes: 256 * 1024 * 1024,
    max_file_size_bytes: null,
  });
});

Deno.test("task run: a read-only dir can be read but not written, host unchanged", async () => {
  const dir = await tree({ "ws/input.txt": "ro input", "ws/keep.txt": "keep" });
  const fsops = `${ROOT}tests/guests/fsops.c`;
  const wasm = `${dir}/fsops.wasm`;
  const cc = await new Deno.Command("clang", {
    args: ["--target=wasm32-wasi", "-O2", fsops, "-o", wasm],
  }).output();
  assertEquals(cc.success, true);
  await Deno.writeTextFile(
    `${dir}/task.jsonc`,
    JSON.stringify({
      kind: "wasm-run",
      module: "fsops.wasm",
      args: ["read:/ws/input.txt", "write:/ws/keep.txt:changed", "write:/ws/new.txt:x"],
      allow_dirs: [{ path: "ws", guest: "/ws", access: "read-only" }],
    }),
  );
  const r = await wasp(["task", "run", "--manifest", `${dir}/task.jsonc`]);
  assertEquals(r.envelope.stdout, "read ok ro input\nwrite err EROFS\nwrite err EROFS\n");
  assertEquals(await Deno.readTextFile(`${dir}/ws/keep.txt`), "keep");
  assertEquals([...Deno.readDirSync(`${dir}/ws`)].length, 2);
  assertEquals(r.envelope.policy?.dirs, [{ host: `${dir}/ws`, guest: "/ws", access: "read-only" }]);
});

Deno.test("task run: the shipped wasm-run example runs with its module built", async () => {
  const dir = await manifestsCopy();
  const r = await wasp(["task", "run", "--manifest", `${dir}/wasm-run-readonly.jsonc`]);
  assertEquals(r.envelope.status, "success");
  assertEquals(r.envelope.stdout, "hello from the manifest workspace\n");
  assertEquals(r.envelope.policy?.limits.max_memory_bytes, 64 * 1024 * 1024);
});

Deno.test("task run: errors name the field", async () => {
  const dir = await tree({ "ws/": "" });
  const cases: [unknown, RegExp][] = [
    [{ kind: "docker" }, /field "kind" must be "sample", "wasm-run" or "python"/],
    [{ sample: "env-report" }, /field "kind" is required/],
    [{ kind: "sample" }, /field "sample" is required/],
    [{ kind: "wasm-run" }, /field "module" is required/],
    [{ kind: "sample", sample: "env-report", shell: "sh" }, /field "shell" is not allowed/],
    [{ kind: "sample", sample: 7 }, /field "sample" must be a string/],
    [{ kind: "sample", sample: "env-report", env: { A: 1 } }, /field "env\.A" must be a string/],
    [{ kind: "sample", sample: "env-report", env: { "A=B": "x" } }, /field "env\.A=B"/],
    [{ kind: "sample", sample: "env-report", limits: { timeout_ms: -1 } }, /limits\.timeout_ms/],
    [{ kind: "sample", sample: "env-report", limits: { cpu: 1 } }, /field "limits\.cpu"/],
    [
      { kind: "wasm-run", module: "m.wasm", allow_dirs: [{ path: "ws", access: "rw" }] },
      /allow_dirs\[0\]\.access/,
    ],
    [
      { kind: "wasm-run", module: "m.wasm", allow_dirs: [{ path: "nope" }] },
      /allow_dirs\[0\]\.path" names .* does not exist/,
    ],
    [
      { kind: "wasm-run", module: "m.wasm", allow_dirs: [{}] },
      /allow_dirs\[0\]\.path" is required/,
    ],
    [
      { kind: "wasm-run", module: "m.wasm", allow_dirs: "ws" },
      /field "allow_dirs" must be an array/,
    ],
    [{ kind: "sample", sample: "env-report", workspace: "missing" }, /field "workspace" names/],
    [[1, 2], /must be an object/],
  ];
  for (const [manifest, pattern] of cases) {
    await Deno.writeTextFile(`${dir}/m.json`, JSON.stringify(manifest));
    const r = await wasp(["task", "run", "--manifest", `${dir}/m.json`]);
    assertEquals(r.code, 2, JSON.stringify(manifest));
    assertEquals(r.envelope.error_kind, "invalid_manifest", JSON.stringify(manifest));
    assertMatch(r.envelope.error!, pattern);
  }
});

Deno.test("task run: syntax errors give line and column; duplicate keys are refused", async () => {
  const dir = await tree();
  await Deno.writeTextFile(
    `${dir}/bad.jsonc`,
    '{\n  "kind": "sample",\n  "sample" "env-report"\n}',
  );
  const syntax = await wasp(["task", "run", "--manifest", `${dir}/bad.jsonc`]);
  assertEquals(syntax.envelope.error_kind, "invalid_manifest");
  assertMatch(syntax.envelope.error!, /line 3, column 12/);
  await Deno.writeTextFile(
    `${dir}/dup.json`,
    '{"kind":"sample","sample":"env-report","kind":"wasm-run"}',
  );
  const dup = await wasp(["task", "run", "--manifest", `${dir}/dup.json`]);
  assertMatch(dup.envelope.error!, /repeats the field "kind"/);
  const missing = await wasp(["task", "run", "--manifest", `${dir}/none.json`]);
  assertEquals(missing.envelope.error_kind, "invalid_manifest");
  const noFlag = await wasp(["task", "run"]);
  assertEquals(noFlag.envelope.error_kind, "invalid_argument");
});

/** A small deterministic PRNG so the fuzz corpus is the same on every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

function malformedManifests(count: number): string[] {
  const rand = prng(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const bases = [
    { kind: "sample", sample: "env-report", env: { TASK_ID: "a" }, limits: { timeout_ms: 100 } },
    {
      kind: "wasm-run",
      module: "m.wasm",
      args: ["x"],
      allow_dirs: [{ path: "ws", guest: "/ws", access: "read-only" }],
    },
  ];
  const badValues = [null, 0, -1, 1.5, true, "", [], {}, "\u0000", { nested: 1 }, [1]];
  const out: string[] = [];
  while (out.length < count) {
    const base = structuredClone(pick(bases)) as Record<string, unknown>;
    const text = JSON.stringify(base);
    const mutation = Math.floor(rand() * 8);
    if (mutation === 0) out.push(text.slice(0, Math.floor(rand() * (text.length - 1))));
    else if (mutation === 1) {
      const key = pick(
        Object.keys(base).filter((k) => k === "kind" || k === "sample" || k === "module"),
      );
      delete base[key];
      out.push(JSON.stringify(base));
    } else if (mutation === 2) {
      base[pick(["shell", "net", "privileged", "allow_net", "Kind"])] = true;
      out.push(JSON.stringify(base));
    } else if (mutation === 3) {
      const key = pick(Object.keys(base));
      const bad = pick(badValues);
      // an empty list or object is a valid value for the optional list/object fields
      if (typeof bad === "object" && bad !== null && Object.keys(bad).length === 0) continue;
      base[key] = bad;
      out.push(JSON.stringify(base));
    } else if (mutation === 4) {
      base.kind = pick(["", "Sample", "wasm", "exec", 3, null, "sample "]);
      out.push(JSON.stringify(base));
    } else if (mutation === 5) {
      base.limits = {
        [pick(["timeout_ms", "max_memory_bytes", "max_output_bytes", "cpu"])]: pick([
          "lots",
          -5,
          1.25,
          {},
          "12 parsecs",
        ]),
      };
      out.push(JSON.stringify(base));
    } else if (mutation === 6) {
      base.env = pick([{ "": "x" }, { "A=B": "x" }, { A: 1 }, { A: null }, ["A=B"], "A=B"]);
      out.push(JSON.stringify(base));
    } else {
      out.push(
        pick([
          "",
          "   ",
          "[]",
          "null",
          "42",
          '"text"',
          "{",
          "{}}",
          "{'kind':'sample'}",
          "// only a comment",
        ]),
      );
    }
  }
  return out;
}

Deno.test("task run: 200 generated malformed manifests each give one valid invalid_manifest envelope", async () => {
  const validate = await schemaValidator("envelope.schema.json");
  const dir = await tree({ "ws/": "" });
  const corpus = malformedManifests(200);
  assertEquals(corpus.length, 200);
  const failures: string[] = [];
  for (let i = 0; i < corpus.length; i += 4) {
    await Promise.all(
      corpus.slice(i, i + 4).map(async (text, j) => {
        const file = `${dir}/fuzz-${i + j}.json`;
        await Deno.writeTextFile(file, text);
        const r = await wasp(["task", "run", "--manifest", file]);
        const problem = validate(r.envelope);
        if (r.code !== 2 || r.envelope.error_kind !== "invalid_manifest" || problem || r.stderr) {
          failures.push(
            `${text} -> ${r.code} ${r.envelope.error_kind} ${problem ?? ""} ${r.stderr}`,
          );
        }
      }),
    );
  }
  assertEquals(failures, []);
});

Deno.test("task run: the manifest's stdin file and file size limit are in the policy", async () => {
  const dir = await tree({ "in.txt": "from the stdin file\n" });
  await Deno.copyFile(await cGuest("cat"), `${dir}/cat.wasm`);
  await Deno.writeTextFile(
    `${dir}/task.json`,
    JSON.stringify({
      kind: "wasm-run",
      module: "cat.wasm",
      stdin: "in.txt",
      limits: { max_file_size_bytes: "1kb" },
    }),
  );
  const r = await wasp(["task", "run", "--manifest", `${dir}/task.json`]);
  assertEquals(r.envelope.stdout, "from the stdin file\n");
  assertEquals(r.envelope.policy?.limits.max_file_size_bytes, 1024);
  assertEquals(r.envelope.policy?.stdin, { source: "file", path: `${dir}/in.txt` });
  const cli = await wasp(["run", `${dir}/cat.wasm`]);
  assertEquals(cli.envelope.policy?.stdin, { source: "empty" });
});
