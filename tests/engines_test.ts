/**
 * One table of contract cases run against both engines, and a differential test: the same
 * real C guests must give identical output, exit codes and host effects under both.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { snapshot } from "./helpers/fs_case.ts";
import { cGuest, watGuest } from "./helpers/guests.ts";
import { lines, tree, wasp } from "./helpers/wasp.ts";

const ENGINES = ["wasp", "wasmer"] as const;
type EngineName = typeof ENGINES[number];

interface Case {
  name: string;
  run(engine: EngineName): Promise<void>;
}

const CASES: Case[] = [
  {
    name: "only --env values reach the guest",
    async run(engine) {
      const r = await wasp(["run", await cGuest("env"), "--engine", engine, "--env", "A=1"], {
        env: { WASP_TEST_SECRET: "hunter2" },
      });
      assertEquals(r.envelope.stdout, "A=1\n");
      assertEquals(r.envelope.policy?.engine, engine);
    },
  },
  {
    name: "a read-write grant is read and written on the host",
    async run(engine) {
      const dir = await tree({ "ws/in.txt": "input" });
      const r = await wasp([
        "run",
        await cGuest("fsops"),
        "--engine",
        engine,
        "--allow-dir",
        `${dir}/ws::/workspace/ws`,
        "--",
        "read:/workspace/ws/in.txt",
        "write:/workspace/ws/out.txt:output",
      ]);
      assertEquals(lines(r.envelope.stdout), ["read ok input", "write ok"]);
      assertEquals(await Deno.readTextFile(`${dir}/ws/out.txt`), "output");
    },
  },
  {
    name: "a read-only grant is readable and the host never changes",
    async run(engine) {
      const dir = await tree({ "ro/r.txt": "keep" });
      const r = await wasp([
        "run",
        await cGuest("fsops"),
        "--engine",
        engine,
        "--allow-dir-ro",
        `${dir}/ro::/workspace/ro`,
        "--",
        "read:/workspace/ro/r.txt",
        "write:/workspace/ro/r.txt:changed",
      ]);
      const out = lines(r.envelope.stdout);
      assertEquals(out[0], "read ok keep");
      // Engines differ here on purpose: wasp refuses the write (EROFS) like a read-only
      // mount; the wasmer SDK lets the guest write its private copy and wasp discards it.
      assertEquals(out[1], engine === "wasp" ? "write err EROFS" : "write ok");
      assertEquals(await snapshot(`${dir}/ro`), { "r.txt": "keep" });
    },
  },
  {
    name: "a non-zero exit is guest_exit with both streams",
    async run(engine) {
      const r = await wasp(["run", await cGuest("exit"), "--engine", engine, "--", "7"]);
      assertEquals(r.code, 1);
      assertEquals(r.envelope.exit_code, 7);
      assertEquals(r.envelope.error_kind, "guest_exit");
      assertEquals(r.envelope.stdout, "to stdout\n");
      assertEquals(r.envelope.stderr, "to stderr\n");
    },
  },
  {
    name: "an infinite loop ends at the timeout",
    async run(engine) {
      const r = await wasp(["run", await cGuest("loop"), "--engine", engine, "--timeout", "1500"]);
      assertEquals(r.envelope.error_kind, "timeout");
      assertEquals(r.envelope.exit_code, null);
    },
  },
  {
    name: "output past the cap is truncated to exactly the cap",
    async run(engine) {
      const r = await wasp([
        "run",
        await cGuest("flood"),
        "--engine",
        engine,
        "--max-output",
        "1000",
        "--",
        "2500",
      ]);
      assertEquals(r.envelope.stdout, "x".repeat(1000));
      assertEquals(r.envelope.stdout_truncated, true);
    },
  },
  {
    name: "an output flood is stopped with output_limit",
    async run(engine) {
      const r = await wasp([
        "run",
        await cGuest("flood"),
        "--engine",
        engine,
        "--max-output",
        "4096",
        "--",
        "100000000",
      ]);
      assertEquals(r.envelope.error_kind, "output_limit");
      assertEquals(r.envelope.stdout.length, 4096);
    },
  },
  {
    name: "a trap is reported and earlier output kept",
    async run(engine) {
      const r = await wasp(["run", await cGuest("trap"), "--engine", engine]);
      assertEquals(r.envelope.error_kind, "trap");
      assertEquals(r.envelope.stdout, "before trap\n");
      assertMatch(r.envelope.error!, /unreachable/);
    },
  },
  {
    name: "stdin reaches the guest",
    async run(engine) {
      const r = await wasp(["run", await cGuest("cat"), "--engine", engine, "--stdin", "-"], {
        stdin: new TextEncoder().encode("through stdin\n"),
      });
      assertEquals(r.envelope.stdout, "through stdin\n");
    },
  },
  {
    name: "a module declaring more memory than the cap is refused",
    async run(engine) {
      const big = await watGuest(
        "engines-bigmem",
        `(module (memory (export "memory") 100) (func (export "_start")))`,
      );
      const r = await wasp(["run", big, "--engine", engine, "--max-memory", "1mb"]);
      assertEquals(r.envelope.error_kind, "memory_limit");
    },
  },
  {
    name: "bad modules are invalid_module",
    async run(engine) {
      const dir = await tree({ "bad.wasm": "not wasm" });
      const bad = await wasp(["run", `${dir}/bad.wasm`, "--engine", engine]);
      assertEquals(bad.envelope.error_kind, "invalid_module");
      const nostart = await watGuest("engines-nostart", `(module (memory (export "memory") 1))`);
      const r = await wasp(["run", nostart, "--engine", engine]);
      assertEquals(r.envelope.error_kind, "invalid_module");
      assertEquals(r.code, 2);
    },
  },
];

for (const c of CASES) {
  for (const engine of ENGINES) {
    Deno.test(`engine ${engine}: ${c.name}`, () => c.run(engine));
  }
}

Deno.test("engine wasmer: grants must live under /workspace and must not nest", async () => {
  const dir = await tree({ "a/b/": "" });
  const hello = await cGuest("hello");
  const outside = await wasp([
    "run",
    hello,
    "--engine",
    "wasmer",
    "--allow-dir",
    `${dir}/a::/data`,
  ]);
  assertEquals(outside.envelope.error_kind, "policy_error");
  assertMatch(outside.envelope.error!, /HOST::\/workspace\/NAME/);
  const nested = await wasp([
    "run",
    hello,
    "--engine",
    "wasmer",
    "--allow-dir",
    `${dir}/a::/workspace/a`,
    "--allow-dir-ro",
    `${dir}/a/b::/workspace/b`,
  ]);
  assertEquals(nested.envelope.error_kind, "policy_error");
  assertMatch(nested.envelope.error!, /cannot nest/);
});

Deno.test("engine wasmer: grants over the sync caps are refused before the guest runs", async () => {
  const dir = await tree({ "ws/a.txt": "1", "ws/b.txt": "2", "ws/c.txt": "3" });
  const r = await wasp([
    "run",
    await cGuest("hello"),
    "--engine",
    "wasmer",
    "--allow-dir",
    `${dir}/ws::/workspace/ws`,
    "--max-sync-files",
    "2",
  ]);
  assertEquals(r.envelope.error_kind, "policy_error");
  assertMatch(r.envelope.error!, /more than 2 files/);
  assertEquals(r.envelope.stdout, "");
});

Deno.test("engine wasmer: symlinks are neither copied, followed nor replaced", async () => {
  const dir = await tree({ "ws/in.txt": "x", "secret/s.txt": "TOP SECRET" });
  await Deno.symlink(`${dir}/secret/s.txt`, `${dir}/ws/link`);
  const r = await wasp([
    "run",
    await cGuest("fsops"),
    "--engine",
    "wasmer",
    "--allow-dir",
    `${dir}/ws::/workspace/ws`,
    "--",
    "read:/workspace/ws/link",
    "write:/workspace/ws/link:overwrite",
  ]);
  assertEquals(lines(r.envelope.stdout), ["read err ENOENT", "write ok"]);
  assertEquals(await Deno.readLink(`${dir}/ws/link`), `${dir}/secret/s.txt`);
  assertEquals(await Deno.readTextFile(`${dir}/secret/s.txt`), "TOP SECRET");
});

Deno.test("differential: real C guests give identical results and host effects on both engines", async () => {
  const fsops = await cGuest("fsops");
  const scenarios: {
    args: string[];
    files?: Record<string, string>;
    stdin?: string;
    /** stdout lines in any order: the Wasmer SDK orders env variables by a per-process hash */
    unordered?: boolean;
  }[] = [
    { args: [await cGuest("hello"), "--", "a", "b c"] },
    { args: [await cGuest("env"), "--env", "X=1", "--env", "Y=two"], unordered: true },
    { args: [await cGuest("exit"), "--", "3"] },
    { args: [await cGuest("cat"), "--stdin", "-"], stdin: "line one\nline two\n" },
    {
      files: { "in.txt": "hello", "sub/old.txt": "old", "gone.txt": "bye" },
      args: [
        fsops,
        "--",
        "read:/workspace/ws/in.txt",
        "write:/workspace/ws/new.txt:fresh",
        "append:/workspace/ws/in.txt: world",
        "mkdir:/workspace/ws/made",
        "write:/workspace/ws/made/deep.txt:deep",
        "rename:/workspace/ws/sub/old.txt:/workspace/ws/renamed.txt",
        "unlink:/workspace/ws/gone.txt",
        "rmdir:/workspace/ws/sub",
        "read:/workspace/ws/missing.txt",
        "ls:/workspace/ws",
      ],
    },
  ];
  for (const s of scenarios) {
    const results = [];
    for (const engine of ENGINES) {
      const dir = await tree(
        Object.fromEntries(Object.entries(s.files ?? {}).map(([k, v]) => [`ws/${k}`, v])),
      );
      await Deno.mkdir(`${dir}/ws`, { recursive: true });
      const [module, ...rest] = s.args;
      // run the module by its bare file name: under wasmer argv[0] is the file name
      const cwd = module.slice(0, module.lastIndexOf("/"));
      const name = module.slice(module.lastIndexOf("/") + 1);
      const r = await wasp(
        ["run", name, "--engine", engine, "--allow-dir", `${dir}/ws::/workspace/ws`, ...rest],
        { cwd, stdin: s.stdin === undefined ? undefined : new TextEncoder().encode(s.stdin) },
      );
      const e = r.envelope;
      results.push({
        stdout: s.unordered ? lines(e.stdout).sort() : e.stdout,
        stderr: e.stderr,
        exit_code: e.exit_code,
        files: await snapshot(`${dir}/ws`),
      });
    }
    assertEquals(results[1], results[0], s.args.slice(1).join(" "));
    assert(results[0].exit_code !== null);
  }
});
