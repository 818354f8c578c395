/**
 * A host tree for confinement tests and a runner for the fsops guest over it.
 * Layout: ws/ (granted read-write as /ws), ro/ (granted read-only as /ro),
 * secret/ (never granted), with a file in each.
 * @module
 */
import { cGuest } from "./guests.ts";
import { lines, tree, wasp } from "./wasp.ts";
import type { Envelope } from "../../src/envelope.ts";

/** Paths of one test tree. */
export interface Sandbox {
  root: string;
  ws: string;
  ro: string;
  secret: string;
}

/** Creates a fresh sandbox tree. */
export async function sandbox(): Promise<Sandbox> {
  const root = await tree({
    "ws/data.txt": "ws data",
    "ws/sub/inner.txt": "inner",
    "ro/r.txt": "read only",
    "ro/dir/f.txt": "ro nested",
    "secret/s.txt": "TOP SECRET",
  });
  return { root, ws: `${root}/ws`, ro: `${root}/ro`, secret: `${root}/secret` };
}

/** Runs fsops with the standard grants (or `grants`) and returns its output lines. */
export async function fsops(
  box: Sandbox,
  ops: string[],
  grants?: string[],
): Promise<{ out: string[]; envelope: Envelope }> {
  const args = grants ?? ["--allow-dir", `${box.ws}::/ws`, "--allow-dir-ro", `${box.ro}::/ro`];
  const r = await wasp(["run", await cGuest("fsops"), ...args, "--", ...ops]);
  if (r.envelope.status !== "success") {
    throw new Error(`fsops failed: ${JSON.stringify(r.envelope)}`);
  }
  return { out: lines(r.envelope.stdout), envelope: r.envelope };
}

/** A listing of every path under `dir` with file contents and link targets. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(d: string, rel: string) {
    for await (const e of Deno.readDir(d)) {
      const p = `${d}/${e.name}`;
      const key = `${rel}${e.name}`;
      if (e.isSymlink) out[key] = `-> ${await Deno.readLink(p)}`;
      else if (e.isDirectory) {
        out[key + "/"] = "dir";
        await walk(p, key + "/");
      } else out[key] = await Deno.readTextFile(p);
    }
  }
  await walk(dir, "");
  return out;
}
