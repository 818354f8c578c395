/**
 * The walled child's bundle (src/wall/child_bundle.ts, made by `deno task bundle`) is exactly
 * what its sources bundle to, runs only while they are unchanged, and is what a run spawns.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { tree, wasp, withDeadline } from "./helpers/wasp.ts";
import { BUNDLE, type BundleInputs, freshBundle } from "../src/wall/child_bundle.ts";
import { childCommand } from "../src/wall/child_command.ts";
import { buildPolicy } from "../src/policy.ts";
import { bundleChild } from "../scripts/bundle.ts";

const MISSING = 'the walled child\'s bundle is missing or stale: run "deno task bundle"';

Deno.test("the child's bundle is what its sources bundle to now", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wasp-bundle-" });
  try {
    const made = await withDeadline(bundleChild(new URL(`file://${dir}/`)), "deno bundle");
    let installed: Uint8Array;
    try {
      installed = await Deno.readFile(BUNDLE.file);
    } catch {
      throw new Error(MISSING);
    }
    assert(
      new TextDecoder().decode(await Deno.readFile(made)) === new TextDecoder().decode(installed),
      MISSING,
    );
    const ours = JSON.parse(await Deno.readTextFile(BUNDLE.inputs)) as BundleInputs;
    const fresh = JSON.parse(await Deno.readTextFile(`${dir}/child_main.inputs.json`)) as {
      inputs: [string, number, number][];
    };
    // the same sources went in (the lists differ only in where each bundle was written)
    const sources = (list: [string, number, number][]) =>
      list.filter(([p]) => p.endsWith(".ts")).map(([p, size]) => [p, size]);
    assertEquals(sources(ours.inputs), sources(fresh.inputs), MISSING);
    assert(sources(ours.inputs).some(([p]) => p === "src/wall/child_core.ts"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a run spawns the bundled child while the bundle matches its sources", async () => {
  assert(freshBundle(BUNDLE.file, BUNDLE.inputs, new URL("../", import.meta.url)), MISSING);
  const policy = buildPolicy({ module: await cGuest("hello") });
  const cmd = childCommand(policy, { wall: "process" });
  assert(cmd.args.includes(decodeURIComponent(BUNDLE.file.pathname)), cmd.args.join(" "));
  const r = await wasp(["run", await cGuest("hello")]);
  assertEquals(r.envelope.status, "success");
});

Deno.test("a bundle is not used once a source it lists changed, or without its list", async () => {
  const root = await tree({ "src/a.ts": "export const a = 1;\n", "out/b.js": "const a = 1;\n" });
  const rootUrl = new URL(`file://${root}/`);
  const file = new URL("out/b.js", rootUrl);
  const list = new URL("out/b.inputs.json", rootUrl);
  const entry = (path: string): [string, number, number] => {
    const info = Deno.statSync(`${root}/${path}`);
    return [path, info.size, info.mtime!.getTime()];
  };
  const write = (inputs: BundleInputs) => Deno.writeTextFileSync(list, JSON.stringify(inputs));
  const deno = Deno.version.deno;
  assertEquals(freshBundle(file, list, rootUrl), null, "no list");
  write({ deno, inputs: [entry("src/a.ts"), entry("out/b.js")] });
  assertEquals(freshBundle(file, list, rootUrl)?.href, file.href);
  write({ deno: "0.0.1", inputs: [entry("src/a.ts"), entry("out/b.js")] });
  assertEquals(freshBundle(file, list, rootUrl), null, "another Deno made it");
  write({ deno, inputs: [entry("src/a.ts")] });
  assertEquals(freshBundle(file, list, rootUrl), null, "the bundle itself is not listed");
  write({ deno, inputs: [entry("src/a.ts"), entry("out/b.js")] });
  // same size, another modification time
  Deno.utimeSync(`${root}/src/a.ts`, new Date(2001, 1, 1), new Date(2001, 1, 1));
  assertEquals(freshBundle(file, list, rootUrl), null, "a source was touched");
  write({ deno, inputs: [entry("src/a.ts"), entry("out/b.js")] });
  Deno.writeTextFileSync(`${root}/out/b.js`, "const a = 2;\n");
  Deno.utimeSync(`${root}/out/b.js`, new Date(2001, 1, 1), new Date(2001, 1, 1));
  write({ deno, inputs: [entry("src/a.ts"), ["out/b.js", 999, 0]] });
  assertEquals(freshBundle(file, list, rootUrl), null, "the bundle was changed");
  await Deno.remove(`${root}/src/a.ts`);
  write({ deno, inputs: [["src/a.ts", 20, 0], entry("out/b.js")] });
  assertEquals(freshBundle(file, list, rootUrl), null, "a source is gone");
});
