import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { mcpClient } from "./helpers/mcp_client.ts";
import { countWalledChildren as childCount, until } from "./helpers/processes.ts";
import { schemaValidator } from "./helpers/schema.ts";
import { DEADLINE_MS, lines, tree } from "./helpers/wasp.ts";
import { type Envelope, WaspError } from "../src/envelope.ts";
import { parseCeiling } from "../src/mcp/ceiling.ts";

async function setup(extra: string[] = []) {
  const dir = await tree({ "ws/input.txt": "mcp input", "ro/keep.txt": "keep", "mods/": "" });
  for (const g of ["fsops", "loop", "env"]) {
    await Deno.copyFile(await cGuest(g), `${dir}/mods/${g}.wasm`);
  }
  const client = await mcpClient([
    "--allow-dir",
    `ws=${dir}/ws`,
    "--allow-dir",
    `ro=${dir}/ro:ro`,
    "--env",
    "TASK_ID=default-id",
    "--env",
    "MODE",
    "--module-dir",
    `${dir}/mods`,
    "--max-timeout",
    "20000",
    ...extra,
  ]);
  return { dir, client };
}

function envelopeOf(r: { structuredContent?: unknown }): Envelope {
  return r.structuredContent as Envelope;
}

Deno.test("mcp: lists four tools with input and output schemas; outputs validate", async () => {
  const { client } = await setup();
  try {
    const { tools } = await client.listTools();
    assertEquals(tools.map((t: { name: string }) => t.name).sort(), [
      "wasp_policy",
      "wasp_python",
      "wasp_run",
      "wasp_run_task",
    ]);
    for (const t of tools) {
      assertEquals(t.inputSchema.type, "object");
      assertEquals(t.outputSchema?.type, "object");
    }
    const validate = await schemaValidator("envelope.schema.json");
    const run = await client.callTool({
      name: "wasp_run",
      arguments: { module: "sample:env-report" },
    });
    assertEquals(validate(run.structuredContent), null);
    const policy = await client.callTool({ name: "wasp_policy", arguments: {} });
    const view = policy.structuredContent as Record<string, unknown>;
    assertEquals(view.aliases, [{ alias: "ws", mode: "rw" }, { alias: "ro", mode: "ro" }]);
    assertEquals(view.env_keys, ["TASK_ID", "MODE"]);
    assertEquals(JSON.stringify(view).includes("default-id"), false);
  } finally {
    await client.close();
  }
});

Deno.test("mcp: runs a sample with operator env defaults and agent values", async () => {
  const { client } = await setup();
  try {
    const r = await client.callTool({
      name: "wasp_run",
      arguments: { module: "sample:env-report", env: { MODE: "review" } },
    });
    assertEquals(r.isError, false);
    assertEquals(envelopeOf(r).stdout, "TASK_ID=default-id\nMODE=review\n");
    const text = (r.content as { type: string; text: string }[])[0].text;
    assertEquals(JSON.parse(text), r.structuredContent);
  } finally {
    await client.close();
  }
});

Deno.test("mcp: a C guest reads a read-only alias and cannot change it", async () => {
  const { dir, client } = await setup();
  try {
    const r = await client.callTool({
      name: "wasp_run",
      arguments: {
        module: "fsops.wasm",
        mounts: [{ alias: "ro", guest: "/data" }, { alias: "ws", mode: "ro" }],
        args: [
          "read:/data/keep.txt",
          "write:/data/keep.txt:x",
          "read:/ws/input.txt",
          "write:/ws/n:x",
        ],
      },
    });
    assertEquals(lines(envelopeOf(r).stdout), [
      "read ok keep",
      "write err EROFS",
      "read ok mcp input",
      "write err EROFS",
    ]);
    assertEquals(await Deno.readTextFile(`${dir}/ro/keep.txt`), "keep");
    assertEquals([...Deno.readDirSync(`${dir}/ws`)].length, 1);
    const task = await client.callTool({
      name: "wasp_run_task",
      arguments: {
        manifest: {
          kind: "wasm-run",
          module: "fsops.wasm",
          args: ["write:/w/out.txt:from task"],
          allow_dirs: [{ path: "ws", guest: "/w" }],
        },
      },
    });
    assertEquals(envelopeOf(task).stdout, "write ok\n");
    assertEquals(await Deno.readTextFile(`${dir}/ws/out.txt`), "from task");
  } finally {
    await client.close();
  }
});

Deno.test("mcp: escalation attempts are refused with isError", async () => {
  const { dir, client } = await setup();
  const outside = await cGuest("hello");
  try {
    const attempts: [string, Record<string, unknown>, RegExp][] = [
      [
        "wasp_run",
        { module: "sample:env-report", mounts: [{ alias: "home" }] },
        /alias home was not declared/,
      ],
      [
        "wasp_run",
        { module: "sample:env-report", mounts: [{ alias: "ro", mode: "rw" }] },
        /read-only/,
      ],
      ["wasp_run", { module: outside }, /outside every module directory/],
      ["wasp_run", { module: "../ws/../mods/../../x.wasm" }, /does not exist|outside/],
      [
        "wasp_run",
        { module: "sample:env-report", env: { HOME: "/root" } },
        /env key HOME is not allowed/,
      ],
      [
        "wasp_run",
        { module: "sample:env-report", timeout_ms: 999999 },
        /above this server's ceiling/,
      ],
      [
        "wasp_run_task",
        { manifest: { kind: "sample", sample: "workspace-probe", workspace: dir } },
        /must name a mount alias/,
      ],
      [
        "wasp_run_task",
        { manifest: { kind: "wasm-run", module: "fsops.wasm", allow_dirs: [{ path: "/etc" }] } },
        /must name a mount alias/,
      ],
      [
        "wasp_run_task",
        {
          manifest: {
            kind: "wasm-run",
            module: "fsops.wasm",
            allow_dirs: [{ path: "ro", access: "read-write" }],
          },
        },
        /read-only/,
      ],
      ["wasp_run_task", { manifest: { kind: "shell" } }, /field "kind"/],
    ];
    for (const [name, args, pattern] of attempts) {
      const r = await client.callTool({ name, arguments: args });
      assertEquals(r.isError, true, JSON.stringify(args));
      assertMatch(envelopeOf(r).error!, pattern);
    }
  } finally {
    await client.close();
  }
});

Deno.test("mcp: a guest's non-zero exit is data, not a tool error", async () => {
  const { client } = await setup();
  try {
    const r = await client.callTool({
      name: "wasp_run",
      arguments: { module: "sample:workspace-probe" },
    });
    assertEquals(r.isError, false);
    assertEquals(envelopeOf(r).error_kind, "guest_exit");
  } finally {
    await client.close();
  }
});

Deno.test("mcp: cancelling a running call kills its walled child; progress is reported", async () => {
  const { dir, client } = await setup(["--wall", "process"]);
  const loop = `${dir}/mods/loop.wasm`;
  try {
    const controller = new AbortController();
    const progress: number[] = [];
    const call = client.callTool(
      { name: "wasp_run", arguments: { module: "loop.wasm" } },
      undefined,
      {
        signal: controller.signal,
        onprogress: (p: { progress: number }) => progress.push(p.progress),
      },
    ).catch((err: Error) => err);
    await until(() => Promise.resolve(progress.length > 0), "a progress notification");
    // progress ticks on a timer of its own, from the call's start: it does not mean that the
    // walled child exists yet
    await until(async () => (await childCount(loop)) === 1, "the walled child");
    controller.abort();
    assert((await call) instanceof Error);
    await until(async () => (await childCount(loop)) === 0, "the cancelled child to go", 5000);
    assertEquals(await childCount(loop), 0);
  } finally {
    await client.close();
  }
});

Deno.test("mcp: concurrent calls run up to --max-concurrency; the next one waits", async () => {
  const { dir, client } = await setup(["--max-concurrency", "2", "--wall", "process"]);
  const loop = `${dir}/mods/loop.wasm`;
  try {
    const calls = [0, 1, 2].map(() =>
      client.callTool({ name: "wasp_run", arguments: { module: "loop.wasm", timeout_ms: 2500 } })
    );
    let most = 0;
    let done = false;
    const all = Promise.all(calls).finally(() => (done = true));
    const deadline = Date.now() + DEADLINE_MS;
    while (!done) {
      if (Date.now() > deadline) throw new Error("the timed-out calls never came back");
      most = Math.max(most, await childCount(loop));
      await new Promise((r) => setTimeout(r, 50));
    }
    const results = await all;
    assertEquals(most, 2);
    for (const r of results) assertEquals(envelopeOf(r).error_kind, "timeout");
  } finally {
    await client.close();
  }
});

Deno.test("mcp: ceilings past their documented maxima are refused at launch", () => {
  for (
    const argv of [
      ["--max-timeout", "2147483648"],
      ["--max-memory", "5gib"],
      ["--max-output", "65mb"],
      ["--max-concurrency", "65"],
    ]
  ) {
    let error: unknown = null;
    try {
      parseCeiling(argv);
    } catch (err) {
      error = err;
    }
    assert(error instanceof WaspError && error.kind === "invalid_argument", argv.join(" "));
  }
  assertEquals(parseCeiling(["--max-concurrency", "64"])?.maxConcurrency, 64);
});
