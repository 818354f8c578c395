/**
 * `runTask()`: read a manifest file and run what it describes.
 * @module
 */
import { type Envelope, envelopeFromError, WaspError } from "./envelope.ts";
import { manifestInput, parseManifest } from "./manifest.ts";
import { parseJsonc } from "./manifest_syntax.ts";
import { absolute, workingDirectory } from "./policy.ts";
import { run, type RunOptions } from "./run.ts";
import { runSample } from "./samples/sample_run.ts";
import { runPython } from "./runtimes/python_run.ts";

/** Options of `runTask()`. */
export interface TaskOptions extends RunOptions {
  /** Directory relative paths of a manifest object resolve against (default: cwd). */
  baseDir?: string;
  /** Host directories that stay read-only even inside a read-write grant (a server's). */
  readOnlyPaths?: string[];
}

/**
 * A private copy of a manifest object, made once at the edge: every field (getters included)
 * is read exactly once, and later changes by the caller change nothing.
 */
function copyManifestObject(manifest: unknown): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(manifest);
  } catch (err) {
    const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new WaspError("invalid_manifest", `manifest (object) is not plain JSON data: ${why}`);
  }
  if (text === undefined) {
    throw new WaspError("invalid_manifest", "manifest (object) is not plain JSON data");
  }
  return JSON.parse(text);
}

/**
 * Runs a task manifest: a path to a JSON/JSONC file (relative paths resolve against its
 * directory) or an already parsed manifest object. Never throws.
 */
export async function runTask(
  manifest: string | Record<string, unknown>,
  options: TaskOptions = {},
): Promise<Envelope> {
  const startedAt = options.startedAt ?? performance.now();
  const runOptions = { ...options, startedAt };
  try {
    let value: unknown;
    let name: string;
    let baseDir: string;
    if (typeof manifest === "string") {
      const file = absolute(manifest, workingDirectory);
      let text: string;
      try {
        text = await Deno.readTextFile(file);
      } catch {
        throw new WaspError(
          "invalid_manifest",
          `manifest ${manifest} cannot be read; check that the file exists`,
        );
      }
      name = manifest;
      value = await parseJsonc(text, manifest);
      baseDir = file.slice(0, file.lastIndexOf("/")) || "/";
    } else {
      name = "(object)";
      value = copyManifestObject(manifest);
      baseDir = absolute(options.baseDir ?? ".", workingDirectory);
    }
    const parsed = parseManifest(value, name);
    const { sample, input, workspace, workspaceGuest, python } = manifestInput(
      parsed,
      name,
      baseDir,
    );
    if (options.readOnlyPaths !== undefined) {
      input.readOnlyPaths = [...(input.readOnlyPaths ?? []), ...options.readOnlyPaths];
    }
    if (python !== undefined) {
      const { module: _m, displayName: _d, engine: _e, ...rest } = input;
      return await runPython({ ...rest, ...python }, runOptions);
    }
    if (sample !== null) {
      const { module: _m, ...rest } = input;
      return await runSample(sample, { ...rest, workspace, workspaceGuest }, runOptions);
    }
    return await run(input, runOptions);
  } catch (err) {
    return envelopeFromError(err, null, startedAt);
  }
}
