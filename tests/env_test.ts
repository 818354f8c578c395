import { assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { lines, wasp } from "./helpers/wasp.ts";

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
