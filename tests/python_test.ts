/**
 * `wasp python` with the real interpreter (CPython 3.12 for WASI). CPython takes about a
 * second to start, so each test batches the checks one run can make.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { exists, ROOT, tree, wasp } from "./helpers/wasp.ts";
import { PYTHON_RUNTIME } from "../src/runtimes/python_runtime.ts";
import { schemaValidator } from "./helpers/schema.ts";

Deno.test("wasp python prints, passes args, sees only granted env keys and reads stdin", async () => {
  const code = [
    "import json, os, sys",
    "print(json.dumps({'argv': sys.argv, 'env': dict(os.environ), 'stdin': sys.stdin.read(),",
    "  'version': sys.version.split()[0]}))",
  ].join("\n");
  const r = await wasp([
    "python",
    "-c",
    code,
    "--env",
    "GREETING=hi",
    "--stdin",
    "-",
    "--",
    "a",
    "b c",
  ], {
    env: { WASP_TEST_SECRET: "hunter2" },
    stdin: new TextEncoder().encode("from stdin\n"),
  });
  assertEquals(r.code, 0, r.stdout);
  const out = JSON.parse(r.envelope.stdout);
  assertEquals(out, {
    argv: ["-c", "a", "b c"],
    env: { GREETING: "hi" },
    stdin: "from stdin\n",
    version: "3.12.0",
  });
  assert(!r.stdout.includes("hunter2"));
  const policy = r.envelope.policy!;
  assertEquals(policy.module, "python");
  // wasp runs its cached copy without debug sections
  assertEquals(policy.module_sha256, PYTHON_RUNTIME.strippedSha256);
  assertEquals(policy.runtime, {
    name: "cpython",
    version: "3.12.0",
    sha256: PYTHON_RUNTIME.strippedSha256,
  });
  assertEquals(policy.env_keys, ["GREETING"]);
  assertEquals((await schemaValidator("envelope.schema.json"))(r.envelope), null);
});

Deno.test("wasp python reports sys.exit(3) as exit 3 and an uncaught exception as exit 1 with its traceback", async () => {
  const [exit3, raised] = await Promise.all([
    wasp(["python", "-c", "import sys; print('bye'); sys.exit(3)"]),
    wasp(["python", "-c", "def f():\n    raise ValueError('boom')\nf()"]),
  ]);
  assertEquals(exit3.code, 1);
  assertEquals(exit3.envelope.error_kind, "guest_exit");
  assertEquals(exit3.envelope.exit_code, 3);
  assertEquals(exit3.envelope.stdout, "bye\n");
  assertEquals(raised.envelope.error_kind, "guest_exit");
  assertEquals(raised.envelope.exit_code, 1);
  assertMatch(raised.envelope.stderr, /^Traceback \(most recent call last\):/);
  assertMatch(raised.envelope.stderr, /line 2, in f\n/);
  assertMatch(raised.envelope.stderr, /ValueError: boom\n$/);
});

Deno.test("wasp python uses sqlite3 in a read-write grant, its writes reach the host, a read-only grant refuses writes", async () => {
  const root = await tree({ "ws/notes.txt": "old\n", "ro/input.csv": "a,b\n1,2\n" });
  const code = `
import csv, json, sqlite3
rows = list(csv.DictReader(open('/ro/input.csv')))
db = sqlite3.connect('/ws/data.db')
db.execute('create table t (a integer, b integer)')
db.executemany('insert into t values (?, ?)', [(r['a'], r['b']) for r in rows])
db.commit()
total = db.execute('select sum(a + b) from t').fetchone()[0]
db.close()
open('/ws/report.txt', 'w').write(f'total={total}\\n')
refused = []
for attempt in [lambda: open('/ro/input.csv', 'a'), lambda: open('/ro/new.txt', 'w'),
                lambda: __import__('os').remove('/ro/input.csv'),
                lambda: __import__('os').mkdir('/ro/d')]:
    try:
        attempt()
        refused.append('ALLOWED')
    except OSError as e:
        refused.append(type(e).__name__)
print(json.dumps({'total': total, 'refused': refused}))
`;
  const r = await wasp([
    "python",
    "-c",
    code,
    "--allow-dir",
    `${root}/ws::/ws`,
    "--allow-dir-ro",
    `${root}/ro::/ro`,
  ]);
  assertEquals(r.code, 0, r.envelope.stderr);
  const out = JSON.parse(r.envelope.stdout);
  assertEquals(out.total, 3);
  assertEquals(out.refused.filter((x: string) => x === "ALLOWED"), []);
  assertEquals(await Deno.readTextFile(`${root}/ws/report.txt`), "total=3\n");
  const header = (await Deno.readFile(`${root}/ws/data.db`)).subarray(0, 15);
  assertEquals(new TextDecoder().decode(header), "SQLite format 3");
  assertEquals(await Deno.readTextFile(`${root}/ro/input.csv`), "a,b\n1,2\n");
  assertEquals([...Deno.readDirSync(`${root}/ro`)].map((e) => e.name), ["input.csv"]);
});

Deno.test("escape attempts from Python all fail and leave the host untouched", async () => {
  const root = await tree({
    "ws/keep.txt": "keep",
    "ro/r.txt": "read only",
    "secret/s.txt": "TOP SECRET",
  });
  const r = await wasp([
    "python",
    `${ROOT}tests/fixtures/python/escapes.py`,
    "--allow-dir",
    `${root}/ws::/ws`,
    "--allow-dir-ro",
    `${root}/ro::/ro`,
  ], { env: { WASP_TEST_SECRET: "hunter2" } });
  assertEquals(r.code, 0, r.envelope.stderr);
  const results: Record<string, string> = JSON.parse(r.envelope.stdout);
  assertEquals(Object.keys(results).sort(), [
    "ctypes",
    "dotdot",
    "dotdot_ro",
    "etc_passwd",
    "link_out",
    "link_ro",
    "listdir_root",
    "proc_environ",
    "proc_list",
    "raw_socket",
    "socket",
    "subprocess",
    "symlink_abs",
    "symlink_rel",
    "system",
  ]);
  for (const [name, result] of Object.entries(results)) {
    assert(result.startsWith("denied "), `${name}: ${result}`);
  }
  assert(!r.stdout.includes("TOP SECRET") && !r.stdout.includes("root:"));
  assertEquals([...Deno.readDirSync(`${root}/ws`)].map((e) => e.name), ["keep.txt"]);
  assertEquals(await Deno.readTextFile(`${root}/secret/s.txt`), "TOP SECRET");
  assertEquals(await Deno.readTextFile(`${root}/ro/r.txt`), "read only");
});

Deno.test("hostile Python ends at its limits: a loop at the timeout, a memory bomb at the memory cap, a print flood at the output cap", async () => {
  const [loop, bomb, flood] = await Promise.all([
    wasp(["python", "-c", "while True: pass", "--timeout", "3000"]),
    wasp([
      "python",
      "-c",
      "chunks = []\nwhile True: chunks.append(bytearray(1 << 20))",
      "--max-memory",
      "96mb",
    ]),
    wasp(["python", "-c", "while True: print('x' * 1000)", "--max-output", "64kb"]),
  ]);
  assertEquals(loop.envelope.error_kind, "timeout");
  assertEquals(loop.envelope.exit_code, null);
  assertEquals(bomb.envelope.error_kind, "memory_limit");
  assertMatch(bomb.envelope.stderr, /MemoryError/);
  assertEquals(flood.envelope.error_kind, "output_limit");
  assertEquals(flood.envelope.stdout.length, 64 * 1024);
  assertEquals(flood.envelope.stdout_truncated, true);
});

Deno.test("a pure-Python package in a read-only grant imports through PYTHONPATH", async () => {
  const root = await tree({
    "lib/greet/__init__.py":
      "from .words import word\ndef hello(name):\n    return f'{word()}, {name}'\n",
    "lib/greet/words.py": "def word():\n    return 'hello'\n",
  });
  const r = await wasp([
    "python",
    "-c",
    "import greet, sys; print(greet.hello('agent')); print(greet.__file__)",
    "--allow-dir-ro",
    `${root}/lib::/lib`,
    "--env",
    "PYTHONPATH=/lib",
  ]);
  assertEquals(r.code, 0, r.envelope.stderr);
  assertEquals(r.envelope.stdout, "hello, agent\n/lib/greet/__init__.py\n");
  // the read-only grant kept Python from leaving bytecode caches behind
  assertEquals(await exists(`${root}/lib/greet/__pycache__`), false);
});

Deno.test("a script file is visible read-only at /script/NAME and nothing else of its directory", async () => {
  const root = await tree({
    "job/main.py": [
      "import json, os, sys",
      "try:",
      "    open(__file__, 'a')",
      "    write = 'ALLOWED'",
      "except OSError as e:",
      "    write = 'refused'",
      "print(json.dumps({'argv': sys.argv, 'file': __file__, 'dir': os.listdir('/script'),",
      "  'write': write}))",
    ].join("\n"),
    "job/neighbour_secret.txt": "do not show",
  });
  const r = await wasp(["python", "main.py", "--", "--flag"], { cwd: `${root}/job` });
  assertEquals(r.code, 0, r.envelope.stderr);
  assertEquals(JSON.parse(r.envelope.stdout), {
    argv: ["/script/main.py", "--flag"],
    file: "/script/main.py",
    dir: ["main.py"],
    write: "refused",
  });
  const grant = r.envelope.policy!.dirs[0];
  assertEquals([grant.guest, grant.access], ["/script", "read-only"]);
  assertEquals(await exists(grant.host), false, "the script's scratch copy is removed");
});

Deno.test("wasp python - reads the program from stdin", async () => {
  const r = await wasp(["python", "-", "--", "x"], {
    stdin: new TextEncoder().encode("import sys\nprint('from stdin', sys.argv, __name__)\n"),
  });
  assertEquals(r.code, 0, r.envelope.stderr);
  assertEquals(r.envelope.stdout, "from stdin ['-', 'x'] __main__\n");
  assertEquals(r.envelope.policy!.stdin, { source: "pipe" });
});
