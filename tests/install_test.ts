import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { ROOT, tree } from "./helpers/wasp.ts";

async function bash(args: string[], cwd?: string, env?: Record<string, string>) {
  const out = await new Deno.Command("bash", { args, cwd, env, stdout: "piped", stderr: "piped" })
    .output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("shell scripts pass bash -n and shellcheck", async () => {
  const scripts = ["scripts/install.sh", "scripts/setup.sh", ".ci/run", "examples/c/build.sh"];
  for (const s of scripts) assertEquals((await bash(["-n", `${ROOT}${s}`])).code, 0, s);
  const check = await new Deno.Command("shellcheck", {
    args: scripts.map((s) => `${ROOT}${s}`),
    stdout: "piped",
  }).output();
  assertEquals(new TextDecoder().decode(check.stdout), "");
  assertEquals(check.code, 0);
});

Deno.test("install.sh --help and a bad option", async () => {
  const help = await bash([`${ROOT}scripts/install.sh`, "--help"]);
  assertEquals(help.code, 0);
  assertMatch(help.stdout, /--allow-run=D/);
  const bad = await bash([`${ROOT}scripts/install.sh`, "--frobnicate"]);
  assertEquals(bad.code, 1);
  assertMatch(bad.stderr, /unknown option --frobnicate/);
});

Deno.test("install.sh installs a working wasp command, idempotently", async () => {
  const root = await tree();
  for (let i = 0; i < 2; i++) {
    const r = await bash([`${ROOT}scripts/install.sh`, "--root", root]);
    assertEquals(r.code, 0, r.stderr);
  }
  const shim = await Deno.readTextFile(`${root}/bin/wasp`);
  assertMatch(shim, /--allow-run=\S+deno/);
  assert(!/--allow-all|-A /.test(shim));
  const work = await tree({ "workspace/input.txt": "installed\n" });
  const out = await new Deno.Command(`${root}/bin/wasp`, {
    args: ["sample", "run", "workspace-probe", "--workspace", "./workspace"],
    cwd: work,
    stdout: "piped",
  }).output();
  const envelope = JSON.parse(new TextDecoder().decode(out.stdout));
  assertEquals(envelope.stdout, "installed\n");
  assertEquals(out.code, 0);
});
