/**
 * `deno task bundle`: bundles the walled child (src/wall/child_main.ts and everything it
 * imports) into src/wall/.bundle/child_main.js with `deno bundle`, and lists beside it each
 * source that went in with its size and modification time (src/wall/child_bundle.ts uses the
 * bundle only while they are unchanged). `deno bundle` fetches esbuild from the npm registry
 * the first time. Generated, never edited: setup.sh and install.sh run this, `deno task test`
 * too, and tests/child_bundle_test.ts checks the result against the sources.
 *
 *   deno task bundle [--out DIR]   (DIR: write there instead, for the check)
 * @module
 */
import { BUNDLE, type BundleInput, type BundleInputs } from "../src/wall/child_bundle.ts";

const ROOT = new URL("../", import.meta.url);
const ENTRY = "src/wall/child_main.ts";

/** The repository's files in the module graph of `entry` (type-only imports included). */
async function localModules(entry: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--no-config", entry],
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`deno info ${entry} failed`);
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string }[];
  };
  const root = ROOT.href;
  return graph.modules.map((m) => m.specifier).filter((s) => s.startsWith(root))
    .map((s) => decodeURIComponent(s.slice(root.length))).sort();
}

function input(path: string): BundleInput {
  const info = Deno.statSync(new URL(path, ROOT));
  return [path, info.size, info.mtime?.getTime() ?? 0];
}

/** Bundles the child into `dir` (default: its place in the tree); returns the bundle's path. */
export async function bundleChild(dir: URL = BUNDLE.dir): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const sources = (await localModules(ENTRY)).map(input);
  const file = new URL("child_main.js", dir);
  const partial = new URL(`child_main.js.${Deno.pid}.tmp`, dir);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--no-config", "--platform", "deno", "-o", partial.pathname, ENTRY],
    cwd: ROOT,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`deno bundle ${ENTRY} failed`);
  await Deno.rename(partial, file);
  // a source changed while it was bundled: the list must not vouch for it
  const after = (await localModules(ENTRY)).map(input);
  if (JSON.stringify(after) !== JSON.stringify(sources)) {
    throw new Error("the child's sources changed while they were bundled; run again");
  }
  const bundleInfo = Deno.statSync(file);
  const self: BundleInput = [
    decodeURIComponent(file.href.slice(ROOT.href.length)),
    bundleInfo.size,
    bundleInfo.mtime?.getTime() ?? 0,
  ];
  const inputs: BundleInputs = { deno: Deno.version.deno, inputs: [...sources, self] };
  const list = new URL("child_main.inputs.json", dir);
  await Deno.writeTextFile(`${list.pathname}.${Deno.pid}.tmp`, JSON.stringify(inputs) + "\n");
  await Deno.rename(`${list.pathname}.${Deno.pid}.tmp`, list);
  return file.pathname;
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--out");
  const dir = at >= 0 ? new URL(`${Deno.realPathSync(Deno.args[at + 1])}/`, "file://") : undefined;
  console.log(`bundled the walled child into ${await bundleChild(dir)}`);
}
