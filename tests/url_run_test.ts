/**
 * wasp run straight from a URL: a loopback HTTP server serves this repository, a fresh
 * DENO_DIR starts empty, and the second run happens with the server gone.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
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

async function runFromUrl(url: string, denoDir: string, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      ...PARENT_FLAGS,
      `${url}/main.ts`,
      ...args,
    ],
    env: { DENO_DIR: denoDir },
    cwd: await tree(),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  return {
    code: out.code,
    envelope: JSON.parse(stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
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
