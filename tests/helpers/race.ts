/**
 * The race tests' world: a workspace with a directory `a` that an attacker flips for a
 * symlink leading out of the grant, an outside canary tree, and the attackers themselves.
 * @module
 */
import { ROOT, tree } from "./wasp.ts";

/** Paths of one race tree. */
export interface RaceTree {
  root: string;
  ws: string;
  outside: string;
  /** ws/ro: granted read-only inside the read-write ws. */
  ro: string;
}

/** What a canary file looked like: everything an escape could change. */
type Mark = { size: number; mtime: number | undefined; nlink: number | null; ino: number | null };

/**
 * ws/a holds the victim's files; ws/alink -> ../outside was planted by the host (a link a
 * guest could never create, nor move). outside/ holds a canary for every name the victim
 * uses; so does ws/ro, which the victim may only read (a second guest can point a symlink
 * there).
 */
export async function raceTree(): Promise<RaceTree> {
  const canary = "CANARY".padEnd(1000, ".");
  const files: Record<string, string> = {
    "ws/a/f": "ws file",
    "ws/a/t": "t",
    "ws/base": "base",
    "outside/CANARY_MARK": "mark",
    "outside/secret-0600": "SECRET",
    "outside/dir/keep": "keep",
  };
  // Files the victim reads, truncates or removes exist outside too; names it creates (d, s,
  // l, new0..7) do not, so an escaped creation shows up as a new outside name.
  for (const name of ["f", "t", "x"]) {
    files[`outside/${name}`] = name === "f" ? canary : `CANARY ${name}`;
    files[`ws/ro/${name}`] = `read-only ${name}`;
  }
  const root = await tree(files);
  await Deno.chmod(`${root}/outside/secret-0600`, 0o600);
  await Deno.symlink("../outside", `${root}/ws/alink`);
  return { root, ws: `${root}/ws`, outside: `${root}/outside`, ro: `${root}/ws/ro` };
}

/** Every entry below `dir` with its size, mtime, link count and inode. */
export async function canary(dir: string): Promise<Record<string, Mark>> {
  const out: Record<string, Mark> = {};
  const walk = async (d: string, rel: string) => {
    for await (const e of Deno.readDir(d)) {
      const st = await Deno.lstat(`${d}/${e.name}`);
      out[rel + e.name] = {
        size: e.isDirectory ? 0 : st.size,
        mtime: st.mtime?.getTime(),
        nlink: st.nlink,
        ino: st.ino,
      };
      if (e.isDirectory) await walk(`${d}/${e.name}`, `${rel}${e.name}/`);
    }
  };
  await walk(dir, "");
  return out;
}

/** Inodes of the regular files below `dir` (symlinks not followed). */
export async function fileInodes(dir: string): Promise<Set<number>> {
  const out = new Set<number>();
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(`${d}/${e.name}`);
      else if (e.isFile) out.add((await Deno.lstat(`${d}/${e.name}`)).ino!);
    }
  };
  await walk(dir);
  return out;
}

/** Builds the native renameat2 swapper (tests/guests/native/swapper.c) and returns its path. */
export async function nativeSwapper(): Promise<string> {
  const src = `${ROOT}tests/guests/native/swapper.c`;
  const text = await Deno.readTextFile(src);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  const hash = [...new Uint8Array(digest)].slice(0, 8).map((b) => b.toString(16).padStart(2, "0"))
    .join("");
  const out = `${ROOT}tests/.cache/swapper-${hash}`;
  try {
    await Deno.stat(out);
    return out;
  } catch {
    // not built yet
  }
  await Deno.mkdir(`${ROOT}tests/.cache`, { recursive: true });
  const tmp = `${out}.${crypto.randomUUID()}.tmp`;
  const res = await new Deno.Command("clang", { args: ["-O2", "-Wall", "-Werror", src, "-o", tmp] })
    .output();
  if (!res.success) {
    throw new Error(`cannot build the swapper: ${new TextDecoder().decode(res.stderr)}`);
  }
  await Deno.rename(tmp, out);
  return out;
}

/** Starts the native swapper on two names of `dir`; it stops when `stop` exists. */
export function startSwapper(bin: string, dir: string, a: string, b: string, stop: string) {
  return new Deno.Command(bin, { args: [dir, a, b, stop, "120"], stdout: "piped" }).spawn();
}
