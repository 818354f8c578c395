/**
 * `runTask()`: read a manifest file and run what it describes.
 * @module
 */
import { type Envelope, envelopeFromError, WaspError } from "./envelope.ts";
import { manifestInput, parseManifest } from "./manifest.ts";
import { parseJsonc } from "./manifest_syntax.ts";
import { absolute } from "./policy.ts";
import { run, type RunOptions } from "./run.ts";
import { runSample } from "./samples/sample_run.ts";

/** Runs the task in the manifest file at `path`; never throws. */
export async function runTask(path: string, options: RunOptions = {}): Promise<Envelope> {
  try {
    const file = absolute(path, Deno.cwd());
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch {
      throw new WaspError(
        "invalid_manifest",
        `manifest ${path} cannot be read; check that the file exists`,
      );
    }
    const manifest = parseManifest(await parseJsonc(text, path), path);
    const baseDir = file.slice(0, file.lastIndexOf("/")) || "/";
    const { sample, input, workspace, workspaceGuest } = manifestInput(manifest, path, baseDir);
    if (sample !== null) {
      const { module: _m, ...rest } = input;
      return await runSample(sample, { ...rest, workspace, workspaceGuest }, options);
    }
    return await run(input, options);
  } catch (err) {
    return envelopeFromError(err);
  }
}
