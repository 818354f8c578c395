/**
 * Running a built-in sample: assemble it, then take exactly the same path as `wasp run`.
 * @module
 */
import type { Envelope } from "../envelope.ts";
import { envelopeFromError } from "../envelope.ts";
import type { PolicyInput } from "../policy.ts";
import { run, type RunOptions } from "../run.ts";
import { sampleToTempFile } from "./assemble.ts";
import { findSample } from "./registry.ts";

/** What a sample run needs besides the sample's name. */
export type SampleRunInput = Omit<PolicyInput, "module" | "displayName" | "dirs"> & {
  /** Directory granted read-write to the sample (none by default). */
  workspace?: string;
  /** Guest path of the workspace (default: the host path as given). */
  workspaceGuest?: string;
  /** Access of the workspace (default read-write). */
  workspaceAccess?: "read-only" | "read-write";
  /** Grants to use instead of a single workspace (the first is the sample's fd 3). */
  dirs?: PolicyInput["dirs"];
};

/** Runs sample `name` behind both walls; never throws. */
export async function runSample(
  name: string,
  input: SampleRunInput,
  options: RunOptions = {},
): Promise<Envelope> {
  const startedAt = options.startedAt ?? performance.now();
  let modulePath: string;
  try {
    modulePath = await sampleToTempFile(findSample(name));
  } catch (err) {
    return envelopeFromError(err, null, startedAt);
  }
  try {
    const { workspace, workspaceGuest, workspaceAccess, dirs, ...rest } = input;
    return await run({
      ...rest,
      module: modulePath,
      displayName: name,
      dirs: workspace === undefined
        ? dirs ?? []
        : [{ host: workspace, guest: workspaceGuest, access: workspaceAccess ?? "read-write" }],
    }, { ...options, startedAt });
  } finally {
    await Deno.remove(modulePath).catch(() => {});
  }
}
