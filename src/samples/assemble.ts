/**
 * WAT → wasm with wabt, for the built-in samples.
 * @module
 */
import { loadWabt } from "../deps.ts";
import { WaspError } from "../envelope.ts";
import type { Sample } from "./registry.ts";

/** Assembles a sample's WAT source into a wasm binary. */
export async function assembleSample(sample: Sample): Promise<Uint8Array> {
  const wat = sample.wat;
  const wabt = await loadWabt();
  let mod;
  try {
    mod = wabt.parseWat(`${sample.name}.wat`, wat);
    mod.validate();
    return mod.toBinary({}).buffer;
  } catch (err) {
    throw new WaspError(
      "internal",
      `internal error: sample ${sample.name} does not assemble: ${String(err).split("\n")[0]}`,
    );
  } finally {
    mod?.destroy();
  }
}

/** Assembles a sample into a new temporary file; the caller removes it. */
export async function sampleToTempFile(sample: Sample): Promise<string> {
  const bytes = await assembleSample(sample);
  const path = await Deno.makeTempFile({ prefix: `wasp-${sample.name}-`, suffix: ".wasm" });
  await Deno.writeFile(path, bytes);
  return await Deno.realPath(path);
}
