/**
 * wasp must not leave a walled child spinning when it is told to stop: a signal to the CLI,
 * or an MCP client that goes away, kills the child.
 */
import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest, watGuest } from "./helpers/guests.ts";
import { mcpClient } from "./helpers/mcp_client.ts";
import { countWalledChildren as children, until, walledChildren } from "./helpers/processes.ts";
import { PARENT_FLAGS, ROOT, tree, withDeadline } from "./helpers/wasp.ts";

async function privateLoop(): Promise<string> {
  const dir = await tree();
  await Deno.copyFile(await cGuest("loop"), `${dir}/loop.wasm`);
  return `${dir}/loop.wasm`;
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.test(`wasp run: ${signal} kills the walled child and still prints one envelope`, async () => {
    const loop = await privateLoop();
    const wasp = new Deno.Command(Deno.execPath(), {
      args: ["run", ...PARENT_FLAGS, `${ROOT}main.ts`, "run", loop, "--timeout", "0"],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    await until(async () => (await children(loop)) === 1, "the walled child");
    wasp.kill(signal);
    const out = await wasp.output();
    const text = new TextDecoder().decode(out.stdout);
    assertEquals(text.trim().split("\n").length, 1);
    const envelope = JSON.parse(text);
    assertEquals(envelope.error_kind, "cancelled");
    assertMatch(envelope.error, /cancelled/);
    assertEquals(out.code, 1);
    await until(async () => (await children(loop)) === 0, "the child to go");
  });
}

Deno.test("wasp mcp: a client that goes away takes its running calls' children with it", async () => {
  const loop = await privateLoop();
  const dir = loop.slice(0, loop.lastIndexOf("/"));
  const client = await mcpClient(["--module-dir", dir, "--wall", "process"]);
  const call = client.callTool({ name: "wasp_run", arguments: { module: "loop.wasm" } })
    .catch((err: Error) => err);
  await until(async () => (await children(loop)) === 1, "the walled child");
  await client.close();
  await call;
  await until(async () => (await children(loop)) === 0, "the child to go");
});

/** How many walled serving processes (wasp mcp or serve on the pool) name `dir`. */
async function servingProcesses(dir: string): Promise<number> {
  const out = await new Deno.Command("pgrep", { args: ["-f", `__wasp_serving .*${dir}`] }).output();
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== "").length;
}

Deno.test("wasp mcp (pool): a client that goes away takes the serving process and its running calls with it", async () => {
  const loop = await privateLoop();
  const dir = loop.slice(0, loop.lastIndexOf("/"));
  const client = await mcpClient(["--module-dir", dir]);
  const call = client.callTool({ name: "wasp_run", arguments: { module: "loop.wasm" } })
    .catch((err: Error) => err);
  await until(async () => (await servingProcesses(dir)) === 1, "the serving process");
  await client.close();
  await call;
  await until(async () => (await servingProcesses(dir)) === 0, "the serving process to go");
});

Deno.test("wasp run killed with SIGKILL: a child that keeps writing stops by itself", async () => {
  const dir = await tree();
  const tick = `${dir}/tick.wasm`;
  await Deno.copyFile(await cGuest("tick"), tick);
  const wasp = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PARENT_FLAGS, `${ROOT}main.ts`, "run", tick, "--timeout", "0"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  await until(async () => (await children(tick)) === 1, "the walled child");
  wasp.kill("SIGKILL");
  await wasp.status;
  await until(async () => (await children(tick)) === 0, "the orphaned child to stop");
});

Deno.test("wasp run killed with SIGKILL: the kernel's parent-death signal stops a child that spins silently", async () => {
  const loop = await privateLoop();
  const wasp = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PARENT_FLAGS, `${ROOT}main.ts`, "run", loop, "--timeout", "0"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  await until(async () => (await children(loop)) === 1, "the walled child");
  // with the kernel wall's backstop armed, no reaper process is needed
  assertEquals(await reapers(wasp.pid), 0);
  wasp.kill("SIGKILL");
  await wasp.status;
  await until(async () => (await children(loop)) === 0, "the orphaned child to be killed");
});

Deno.test("wasp run killed with SIGKILL: without the kernel wall, its reaper stops a child that spins silently", async () => {
  const loop = await privateLoop();
  const wasp = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PARENT_FLAGS, `${ROOT}main.ts`, "run", loop, "--timeout", "0"],
    env: { WASP_KERNEL_WALL: "off" },
    stdout: "null",
    stderr: "null",
  }).spawn();
  await until(async () => (await children(loop)) === 1, "the walled child");
  // the parent starts a reaper together with the child
  await until(async () => (await reapers(wasp.pid)) === 1, "the reaper");
  wasp.kill("SIGKILL");
  await wasp.status;
  await until(async () => (await children(loop)) === 0, "the orphaned child to be reaped");
});

Deno.test("wasp run SIGKILLed the moment its child exists: the reaper started with it stops it", async () => {
  // a guest that spins from its first instruction and never makes a syscall
  const dir = await tree();
  const loop = `${dir}/silent.wasm`;
  await Deno.copyFile(
    await watGuest(
      "silent-spin",
      `(module (memory (export "memory") 1) (func (export "_start") (loop $l (br $l))))`,
    ),
    loop,
  );
  const wasp = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PARENT_FLAGS, `${ROOT}main.ts`, "run", loop, "--timeout", "0"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  // no wait for the reaper: it was spawned in the same synchronous step as the child
  await until(async () => (await children(loop)) === 1, "the walled child");
  wasp.kill("SIGKILL");
  await wasp.status;
  try {
    await until(async () => (await children(loop)) === 0, "the orphaned child to be reaped");
  } finally {
    for (const pid of await walledChildren(loop)) Deno.kill(pid, "SIGKILL");
  }
});

Deno.test("a run that needed a reaper leaves none behind", async () => {
  const loop = await privateLoop();
  const wasp = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PARENT_FLAGS, `${ROOT}main.ts`, "run", loop, "--timeout", "1500"],
    env: { WASP_KERNEL_WALL: "off" },
    stdout: "piped",
  }).spawn();
  let childPid = 0;
  await until(async () => (childPid = await childPidOf(loop)) > 0, "the walled child");
  await until(async () => (await reapersOf(childPid)) === 1, "its reaper");
  const out = await withDeadline(wasp.output(), "a run with --timeout 1500");
  assertEquals(JSON.parse(new TextDecoder().decode(out.stdout)).error_kind, "timeout");
  assertEquals(await reapersOf(childPid), 0);
});

/** The pid of the walled child running `module`, or 0. */
async function childPidOf(module: string): Promise<number> {
  return (await walledChildren(module))[0] ?? 0;
}

/** Reapers watching the child `pid`. */
async function reapersOf(pid: number): Promise<number> {
  const out = await new Deno.Command("pgrep", { args: ["-f", `reaper.ts ${pid}$`] }).output();
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== "").length;
}

/** Reapers whose parent is `pid`. */
async function reapers(pid: number): Promise<number> {
  const out = await new Deno.Command("pgrep", { args: ["-P", String(pid), "-f", "reaper"] })
    .output();
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== "").length;
}
