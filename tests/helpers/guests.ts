/**
 * Builds test guests from source: C with clang + wasi-libc, WAT with wabt. Results are
 * cached under tests/.cache by a hash of the source and the compiler flags.
 * @module
 */
import { loadWabt } from "../../src/deps.ts";
import { exists } from "./wasp.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
/** Where built guests are cached (by a hash of their sources and flags). */
export const CACHE = `${ROOT}tests/.cache`;
const WARNINGS = ["-O2", "-Wall", "-Wextra", "-Werror"];
const CFLAGS = ["--target=wasm32-wasi", ...WARNINGS, "-Wl,--strip-all"];

/** A short hex SHA-256 of `text`, used as a cache key. */
export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")
    .slice(0, 16);
}

/** Extra inputs for a C guest: more source files and include directories. */
export interface CBuild {
  sources?: string[];
  includes?: string[];
}

/** Compiles tests/guests/<name>.c (plus `build.sources`) and returns the .wasm path. */
export async function cGuest(name: string, build: CBuild = {}): Promise<string> {
  const src = `${ROOT}tests/guests/${name}.c`;
  const sources = [src, ...(build.sources ?? [])];
  // third-party sources are not held to our warning flags
  const base = build.sources
    ? CFLAGS.filter((f) => !f.startsWith("-W") || f.startsWith("-Wl"))
    : CFLAGS;
  const flags = [...base, ...(build.includes ?? []).map((d) => `-I${d}`)];
  let text = flags.join(" ");
  for (const s of sources) text += "\0" + await Deno.readTextFile(s);
  const out = `${CACHE}/${name}-${await sha256(text)}.wasm`;
  if (await exists(out)) return out;
  await Deno.mkdir(CACHE, { recursive: true });
  const tmp = `${out}.${crypto.randomUUID()}.tmp`;
  const res = await new Deno.Command("clang", { args: [...flags, ...sources, "-o", tmp] }).output();
  if (!res.success) {
    throw new Error(`clang failed for ${name}.c: ${new TextDecoder().decode(res.stderr)}`);
  }
  await Deno.rename(tmp, out);
  return out;
}

/**
 * Compiles tests/guests/<name>.c natively with the host's `cc` (same warnings as the wasm
 * build) and returns the executable's path: the reference a guest's output is compared with.
 * Cached per OS and architecture.
 */
export async function nativeC(name: string): Promise<string> {
  const src = `${ROOT}tests/guests/${name}.c`;
  const text = WARNINGS.join(" ") + "\0" + await Deno.readTextFile(src);
  const out = `${CACHE}/${name}-native-${Deno.build.os}-${Deno.build.arch}-${await sha256(text)}`;
  if (await exists(out)) return out;
  await Deno.mkdir(CACHE, { recursive: true });
  const tmp = `${out}.${crypto.randomUUID()}.tmp`;
  const res = await new Deno.Command("cc", { args: [...WARNINGS, src, "-o", tmp] }).output();
  if (!res.success) {
    throw new Error(`cc failed for ${name}.c: ${new TextDecoder().decode(res.stderr)}`);
  }
  await Deno.rename(tmp, out);
  return out;
}

/**
 * Fetches an npm package tarball (exact version) into the cache with `npm pack` and unpacks
 * it; returns the unpacked `package/` directory.
 */
export async function npmPackage(spec: string): Promise<string> {
  const dir = `${CACHE}/npm/${spec.replace(/[^a-zA-Z0-9.@-]/g, "_")}`;
  if (await exists(`${dir}/package/package.json`)) return `${dir}/package`;
  const tmp = `${dir}.${crypto.randomUUID()}.tmp`;
  await Deno.mkdir(tmp, { recursive: true });
  const pack = await new Deno.Command("npm", {
    args: ["pack", spec, "--pack-destination", tmp, "--silent"],
  }).output();
  if (!pack.success) {
    throw new Error(`npm pack ${spec} failed: ${new TextDecoder().decode(pack.stderr)}`);
  }
  const tgz = (new TextDecoder().decode(pack.stdout)).trim().split("\n").at(-1)!;
  const untar = await new Deno.Command("tar", { args: ["xzf", `${tmp}/${tgz}`, "-C", tmp] })
    .output();
  if (!untar.success) throw new Error(`cannot unpack ${tgz}`);
  try {
    await Deno.rename(tmp, dir);
  } catch {
    // another test unpacked it first
  }
  return `${dir}/package`;
}

/** wabt feature switches a WAT guest may need (multi_memory, memory64, ...). */
export type WatFeatures = Record<string, boolean>;

/** Assembles WAT text into a module file in the cache and returns its path. */
export async function watGuest(
  name: string,
  wat: string,
  features: WatFeatures = {},
): Promise<string> {
  const out = `${CACHE}/${name}-${await sha256(JSON.stringify(features) + wat)}.wasm`;
  if (await exists(out)) return out;
  await Deno.mkdir(CACHE, { recursive: true });
  const wabt = await loadWabt();
  const mod = wabt.parseWat(`${name}.wat`, wat, features);
  const { buffer } = mod.toBinary({});
  mod.destroy();
  const tmp = `${out}.${crypto.randomUUID()}.tmp`;
  await Deno.writeFile(tmp, buffer);
  await Deno.rename(tmp, out);
  return out;
}
