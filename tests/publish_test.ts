import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { ROOT } from "./helpers/wasp.ts";
import { compileArgs, TARGETS } from "../scripts/compile.ts";

Deno.test("deno publish --dry-run accepts the package (offline)", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["publish", "--dry-run", "--allow-dirty"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
  assertEquals(out.code, 0, text);
  assertMatch(text, /Dry run complete/);
});

Deno.test("deno task compile covers five targets with the worker wall baked in", () => {
  assertEquals(TARGETS.length, 5);
  for (const target of TARGETS) {
    const args = compileArgs(target, "dist");
    for (const flag of ["--no-prompt", "--unstable-worker-options", "src/wall/child_main.ts"]) {
      assertEquals(args.includes(flag), true, `${target} ${flag}`);
    }
    assertMatch(args.at(-2)!, target.includes("windows") ? /\.exe$/ : /wasp-/);
  }
});

Deno.test("deno task compile includes every module wasp loads by a computed specifier", async () => {
  const args = compileArgs(TARGETS[0], "dist");
  const included = args.filter((_, i) => args[i - 1] === "--include");
  const root = new URL("../", import.meta.url);
  const main = await Deno.readTextFile(new URL("main.ts", root));
  const loaded = [...main.matchAll(/>\(\s*"\.\/(src\/[^"]+\.ts)"\s*\)/g)].map((m) => m[1]);
  assertEquals(loaded.length >= 8, true, "main.ts loads its commands with load()");
  for (const file of ["src/wall/child_core.ts", "src/wall/child_command.ts"]) {
    const text = await Deno.readTextFile(new URL(file, root));
    for (const m of text.matchAll(/new URL\("\.\.\/([^"]+)", import\.meta\.url\)\.href/g)) {
      loaded.push(`src/${m[1]}`);
    }
  }
  for (const m of loaded) assertEquals(included.includes(m), true, `--include ${m}`);
});
