/**
 * Builds Rust guests with Debian's toolchain (`rustc`, `cargo`, `libstd-rust-dev-wasm32`;
 * scripts/setup.sh installs them): single files from tests/guests/ with rustc, for
 * wasm32-wasi or natively, and dependency-free cargo crates for wasm32-wasi. Always the
 * Debian binaries, because a rustup toolchain earlier on PATH lacks the wasm32-wasi target.
 * Results are cached under tests/.cache by a hash of the sources.
 * @module
 */
import { CACHE, sha256 } from "./guests.ts";
import { exists } from "./wasp.ts";

const RUSTC = "/usr/bin/rustc";
const CARGO = "/usr/bin/cargo";
const ROOT = new URL("../../", import.meta.url).pathname;

async function run(cmd: string, args: string[], env: Record<string, string> = {}, cwd?: string) {
  const res = await new Deno.Command(cmd, { args, env, cwd, stdout: "piped", stderr: "piped" })
    .output();
  if (!res.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(res.stderr)}`);
  }
}

/**
 * Compiles tests/guests/<name>.rs with rustc (edition 2021, -O) for wasm32-wasi, or for the
 * host when `native` is set (then any rustc will do: Debian's if present, else PATH's), and
 * returns the output's path. Native builds are cached per OS and architecture.
 */
export async function rustGuest(name: string, native = false): Promise<string> {
  const src = `${ROOT}tests/guests/${name}.rs`;
  const target = native ? [] : ["--target", "wasm32-wasi"];
  const flags = ["--edition", "2021", "-O", ...target];
  const key = await sha256(flags.join(" ") + "\0" + await Deno.readTextFile(src));
  const kind = native ? `native-${Deno.build.os}-${Deno.build.arch}` : "wasm";
  const out = `${CACHE}/${name}-rust-${kind}-${key}${native ? "" : ".wasm"}`;
  if (await exists(out)) return out;
  await Deno.mkdir(CACHE, { recursive: true });
  const tmp = `${out}.${crypto.randomUUID()}.tmp`;
  await run(native && !(await exists(RUSTC)) ? "rustc" : RUSTC, [...flags, src, "-o", tmp]);
  await Deno.rename(tmp, out);
  return out;
}

/**
 * Builds the cargo crate in `crateDir` (relative to the repository root) with
 * `cargo build --release --target wasm32-wasi --frozen` and returns the .wasm of its binary
 * `bin` (default: named after the directory). The crate must have no dependencies and a
 * committed Cargo.lock.
 */
export async function cargoGuest(crateDir: string, bin?: string): Promise<string> {
  const dir = `${ROOT}${crateDir}`;
  let text = "";
  for (const f of ["Cargo.toml", "Cargo.lock", "src/main.rs"]) {
    text += `\0${f}\0` + await Deno.readTextFile(`${dir}/${f}`);
  }
  const name = bin ?? crateDir.split("/").at(-1)!;
  const out = `${CACHE}/${name}-cargo-${await sha256(text)}.wasm`;
  if (await exists(out)) return out;
  const targetDir = `${CACHE}/cargo-target-${crypto.randomUUID()}`;
  try {
    await run(CARGO, ["build", "--release", "--target", "wasm32-wasi", "--frozen"], {
      RUSTC,
      CARGO_TARGET_DIR: targetDir,
    }, dir);
    await Deno.rename(`${targetDir}/wasm32-wasi/release/${name}.wasm`, out);
  } finally {
    await Deno.remove(targetDir, { recursive: true }).catch(() => {});
  }
  return out;
}
