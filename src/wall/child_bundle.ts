/**
 * The walled child as one file: `deno task bundle` (scripts/bundle.ts) bundles child_main.ts
 * and its module graph into `src/wall/.bundle/child_main.js`, which starts faster than the
 * ~40 modules it is made of, and lists beside it every source file that went in, with its size
 * and modification time. The bundle is generated, never committed or edited: setup and
 * install build it, `deno task test` rebuilds it, tests/child_bundle_test.ts checks that it
 * is what the sources bundle to. A run uses it only while every listed source is unchanged;
 * otherwise, or when there is none, the child runs from child_main.ts as before.
 * @module
 */

/** The bundle's directory, its file and its list of inputs. */
export const BUNDLE = {
  dir: new URL("./.bundle/", import.meta.url),
  file: new URL("./.bundle/child_main.js", import.meta.url),
  inputs: new URL("./.bundle/child_main.inputs.json", import.meta.url),
};

/** One input of the bundle (the bundle itself included): path from the repository root. */
export type BundleInput = [path: string, size: number, mtimeMs: number];

/** What scripts/bundle.ts writes beside the bundle. */
export interface BundleInputs {
  /** The Deno that made it. */
  deno: string;
  inputs: BundleInput[];
}

const ROOT = new URL("../../", import.meta.url);

/** Whether `path` (from the repository root) still has the recorded size and mtime. */
function unchanged(root: string, [path, size, mtimeMs]: BundleInput): boolean {
  const info = Deno.statSync(root + path);
  return info.isFile && info.size === size && info.mtime?.getTime() === mtimeMs;
}

/**
 * The bundled child entry when it exists and every file it was made from (and the bundle
 * itself) is as it was then; null otherwise, and for a remote or compiled wasp, whose child
 * runs from its sources. Never throws: whatever cannot be read means no bundle.
 */
export function bundledChild(): URL | null {
  if (BUNDLE.file.protocol !== "file:" || Deno.build.standalone) return null;
  return freshBundle(BUNDLE.file, BUNDLE.inputs, ROOT);
}

/**
 * `file` when the list at `inputs` was made by this Deno and each file it names (relative to
 * `root`) still has the size and modification time it lists; null otherwise.
 */
export function freshBundle(file: URL, inputs: URL, root: URL): URL | null {
  try {
    // never a permission prompt: a library caller that cannot read wasp's tree gets the sources
    const read = Deno.permissions.querySync({ name: "read", path: root });
    if (read.state !== "granted") return null;
    const made = JSON.parse(Deno.readTextFileSync(inputs)) as BundleInputs;
    if (made.deno !== Deno.version.deno || !Array.isArray(made.inputs)) return null;
    const dir = decodeURIComponent(root.pathname);
    const bundle = decodeURIComponent(file.pathname);
    const fresh = made.inputs.some(([path]) => dir + path === bundle) &&
      made.inputs.every((i) => unchanged(dir, i));
    return fresh ? file : null;
  } catch {
    return null;
  }
}
