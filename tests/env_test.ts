import { assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { until, walledChildren } from "./helpers/processes.ts";
import { lines, PARENT_FLAGS, ROOT, tree, wasp, withDeadline } from "./helpers/wasp.ts";

Deno.test("run() hides every host variable, even one exported in the parent", async () => {
  const r = await wasp(["run", await cGuest("env")], {
    env: { WASP_TEST_SECRET: "hunter2", PATH: Deno.env.get("PATH") ?? "" },
  });
  assertEquals(r.envelope.stdout, "");
  assertEquals(r.envelope.status, "success");
});

Deno.test("run() shows only --env values, later flags winning", async () => {
  const r = await wasp(
    ["run", await cGuest("env"), "--env", "A=1", "--env", "B=two words", "--env", "A=3"],
    { env: { WASP_TEST_SECRET: "hunter2" } },
  );
  assertEquals(lines(r.envelope.stdout), ["A=3", "B=two words"]);
  assertEquals(r.envelope.policy?.env_keys, ["A", "B"]);
  assertEquals(JSON.stringify(r.envelope.policy).includes("two words"), false);
});

Deno.test("run() passes values containing = and empty values through", async () => {
  const r = await wasp(["run", await cGuest("env"), "--env", "Q=a=b", "--env", "E="]);
  assertEquals(lines(r.envelope.stdout), ["Q=a=b", "E="]);
});

Deno.test("run() spawns the walled child with only Deno's own settings in its environment", async () => {
  const dir = await tree();
  const loop = `${dir}/loop.wasm`;
  await Deno.copyFile(await cGuest("loop"), loop);
  const parent = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PARENT_FLAGS, `${ROOT}main.ts`, "run", loop, "--timeout", "0"],
    env: { WASP_TEST_SECRET: "hunter2" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    let pid = 0;
    await until(async () => (pid = (await walledChildren(loop))[0] ?? 0) > 0, "the walled child");
    // what the kernel holds for the process, not what wasp meant to pass
    const environ = await Deno.readTextFile(`/proc/${pid}/environ`);
    const keys = environ.split("\0").filter((e) => e !== "").map((e) => e.split("=")[0]);
    assertEquals(keys.sort(), ["DENO_DIR", "DENO_NO_UPDATE_CHECK", "NO_COLOR"]);
    assertEquals(environ.includes("hunter2"), false);
  } finally {
    parent.kill("SIGTERM");
    await withDeadline(parent.output(), "wasp after SIGTERM");
  }
});
