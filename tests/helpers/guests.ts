/**
 * Builds test guests from source: C with clang + wasi-libc, WAT with wabt. Results are
 * cached under tests/.cache by a hash of the source and the compiler flags.
 * @module
 */
import { loadWabt } from "../../src/deps.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CACHE = `${ROOT}tests/.cache`;
const CFLAGS = ["--target=wasm32-wasi", "-O2", "-Wall", "-Wextra", "-Werror", "-Wl,--strip-all"];

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")
    .slice(0, 16);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Compiles tests/guests/<name>.c and returns the absolute path of the .wasm. */
export async function cGuest(name: string): Promise<string> {
  const src = `${ROOT}tests/guests/${name}.c`;
  const text = await Deno.readTextFile(src);
  const out = `${CACHE}/${name}-${await sha256(text + CFLAGS.join(" "))}.wasm`;
  if (await exists(out)) return out;
  await Deno.mkdir(CACHE, { recursive: true });
  const tmp = `${out}.${crypto.randomUUID()}.tmp`;
  const res = await new Deno.Command("clang", { args: [...CFLAGS, src, "-o", tmp] }).output();
  if (!res.success) {
    throw new Error(`clang failed for ${name}.c: ${new TextDecoder().decode(res.stderr)}`);
  }
  await Deno.rename(tmp, out);
  return out;
}

/** Assembles WAT text into a module file in the cache and returns its path. */
export async function watGuest(name: string, wat: string): Promise<string> {
  const out = `${CACHE}/${name}-${await sha256(wat)}.wasm`;
  if (await exists(out)) return out;
  await Deno.mkdir(CACHE, { recursive: true });
  const wabt = await loadWabt();
  const mod = wabt.parseWat(`${name}.wat`, wat);
  const { buffer } = mod.toBinary({});
  mod.destroy();
  const tmp = `${out}.${crypto.randomUUID()}.tmp`;
  await Deno.writeFile(tmp, buffer);
  await Deno.rename(tmp, out);
  return out;
}
