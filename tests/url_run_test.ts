/**
 * wasp run straight from a URL: a loopback HTTP server serves this repository, a fresh
 * DENO_DIR starts empty, and the second run happens with the server gone.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { PARENT_FLAGS, ROOT, tree } from "./helpers/wasp.ts";
import { buildPolicy } from "../src/policy.ts";
import { childCommand } from "../src/wall/child_command.ts";

function serveRepo(log: string[]): { url: string; server: Deno.HttpServer } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    log.push(path);
    try {
      const body = await Deno.readFile(`${ROOT}${path.slice(1)}`);
      return new Response(body, {
        headers: { "content-type": path.endsWith(".ts") ? "application/typescript" : "text/plain" },
      });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, server };
}

function urlCommand(url: string, denoDir: string, args: string[], cwd: string) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...PARENT_FLAGS, `${url}/main.ts`, ...args],
    env: { DENO_DIR: denoDir },
    cwd,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  });
}

async function runFromUrl(url: string, denoDir: string, args: string[], cwd?: string) {
  const child = urlCommand(url, denoDir, args, cwd ?? await tree()).spawn();
  await child.stdin.close();
  const out = await child.output();
  const stdout = new TextDecoder().decode(out.stdout);
  return {
    code: out.code,
    stdout,
    envelope: stdout.startsWith("{") ? JSON.parse(stdout) : null,
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** Speaks MCP to `wasp mcp` from a URL: initialize, then one tools/call; returns that reply. */
async function mcpCallFromUrl(url: string, denoDir: string, cwd: string): Promise<string> {
  const child = urlCommand(url, denoDir, ["mcp", "--allow-dir", `ws=${cwd}/ws`], cwd).spawn();
  const writer = child.stdin.getWriter();
  const send = (m: unknown) => writer.write(new TextEncoder().encode(JSON.stringify(m) + "\n"));
  await send({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "t", version: "1" },
    },
  });
  await send({ jsonrpc: "2.0", method: "notifications/initialized" });
  await send({
    jsonrpc: "2.0",
    id: 2,
    method: "tools/call",
    params: {
      name: "wasp_run",
      arguments: { module: "sample:workspace-probe", mounts: [{ alias: "ws" }] },
    },
  });
  const deadline = setTimeout(() => child.kill("SIGKILL"), 60_000);
  let text = "";
  try {
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      const reply = text.split("\n").find((l) => l.includes('"id":2'));
      if (reply) return reply;
    }
    throw new Error(`wasp mcp from a URL gave no reply: ${text}`);
  } finally {
    clearTimeout(deadline);
    await writer.close().catch(() => {});
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await child.status;
    await child.stderr.cancel();
  }
}

Deno.test("run from a URL works, then works again offline from the cache", async () => {
  const hello = await cGuest("hello");
  const denoDir = await Deno.makeTempDir({ prefix: "wasp-deno-dir-" });
  const log: string[] = [];
  const { url, server } = serveRepo(log);
  let first;
  try {
    first = await runFromUrl(url, denoDir, ["run", hello, "--", "online"]);
  } finally {
    await server.shutdown();
  }
  assertEquals(first.envelope.status, "success", first.stderr);
  assertEquals(first.envelope.stdout.split("\n")[2], "argv[1]=online");
  assert(log.includes("/src/wall/child_main.ts"), "the child entry was served");
  // every module was fetched once, by the parent: the child (--cached-only) fetched nothing
  assertEquals(log.length, new Set(log).size, `some path was fetched twice: ${log.join(" ")}`);

  const second = await runFromUrl(url, denoDir, ["run", hello, "--", "offline"]);
  assertEquals(second.envelope.status, "success", second.stderr);
  assertEquals(second.envelope.stdout.split("\n")[2], "argv[1]=offline");
});

Deno.test("every command works from a URL: samples, their assembler and schemas load from the fetched graph", async () => {
  const denoDir = await Deno.makeTempDir({ prefix: "wasp-deno-dir-" });
  const cwd = await tree({ "ws/input.txt": "from the workspace\n" });
  await Deno.writeTextFile(
    `${cwd}/task.jsonc`,
    '// a sample task\n{ "kind": "sample", "sample": "workspace-probe", "workspace": "ws" }',
  );
  await Deno.writeTextFile(
    `${cwd}/run.json`,
    JSON.stringify({
      kind: "wasm-run",
      module: "probe.wasm",
      allow_dirs: [{ path: "ws", guest: "/ws" }],
    }),
  );
  const log: string[] = [];
  const { url, server } = serveRepo(log);
  try {
    const list = await runFromUrl(url, denoDir, ["sample", "list"], cwd);
    assertEquals(JSON.parse(list.stdout).length, 3, list.stderr);
    const env = await runFromUrl(
      url,
      denoDir,
      ["sample", "run", "env-report", "--env", "A=1"],
      cwd,
    );
    assertEquals(env.envelope?.stdout, "A=1\n", env.stdout + env.stderr);
    const build = await runFromUrl(url, denoDir, [
      "sample",
      "build",
      "workspace-probe",
      "probe.wasm",
    ], cwd);
    assertEquals(JSON.parse(build.stdout).status, "success", build.stderr);
    const task = await runFromUrl(url, denoDir, ["task", "run", "--manifest", "task.jsonc"], cwd);
    assertEquals(task.envelope?.stdout, "from the workspace\n", task.stdout + task.stderr);
    const wasmRun = await runFromUrl(url, denoDir, ["task", "run", "--manifest", "run.json"], cwd);
    assertEquals(wasmRun.envelope?.status, "success", wasmRun.stdout + wasmRun.stderr);
    const schema = await runFromUrl(url, denoDir, ["schema", "envelope"], cwd);
    assertEquals(JSON.parse(schema.stdout).title, "wasp result envelope", schema.stderr);
    const help = await runFromUrl(url, denoDir, ["--help"], cwd);
    assertMatch(help.stdout, /wasp schema manifest\|envelope/);
    const reply = JSON.parse(await mcpCallFromUrl(url, denoDir, cwd));
    assertEquals(
      reply.result?.structuredContent?.stdout,
      "from the workspace\n",
      JSON.stringify(reply),
    );
  } finally {
    await server.shutdown();
  }
  // the WAT sources and schemas are modules of the graph: fetched once into the cache, like code
  assert(log.includes("/samples/env-report.wat"), log.join(" "));
  assertEquals(log.length, new Set(log).size, `some path was fetched twice: ${log.join(" ")}`);
});

Deno.test("a remote child gets --cached-only, no config, and the parent's DENO_DIR", async () => {
  const policy = buildPolicy({ module: await cGuest("hello") });
  const cmd = childCommand(policy, {
    entry: new URL("http://127.0.0.1:1/src/wall/child_main.ts"),
    wall: "process",
  });
  assert(cmd.args.includes("--cached-only"));
  assert(cmd.args.includes("--no-config"));
  assertEquals(cmd.args.includes("--no-remote"), false);
  assertEquals(cmd.args.at(-1), "http://127.0.0.1:1/src/wall/child_main.ts");
  assert(cmd.env.DENO_DIR !== undefined);
});
