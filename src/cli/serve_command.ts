/**
 * `wasp serve`: parse the operator's ceiling (the flags of `wasp mcp`), then serve JSON-lines
 * requests from a walled serving process with a warm pool. Launch errors go to stderr
 * (stdout carries the answers) with exit status 2.
 * @module
 */
import { WaspError } from "../envelope.ts";
import { parseCeiling } from "../mcp/ceiling.ts";
import { SERVE_HELP } from "./help.ts";
import { writeOut } from "./output.ts";

/** Runs `wasp serve` with the arguments after `serve`; returns the exit status. */
export async function serveCommand(argv: string[]): Promise<number> {
  let ceiling;
  try {
    ceiling = parseCeiling(argv, "serve");
    if (new URL(import.meta.url).protocol !== "file:" || Deno.build.standalone) {
      throw new WaspError(
        "invalid_argument",
        "wasp serve needs wasp's code on this machine (a checkout or deno install), not a URL or a compiled binary; use wasp mcp there",
      );
    }
    if (ceiling?.wall === "process") {
      throw new WaspError(
        "invalid_argument",
        "wasp serve always runs guests in its warm pool; use wasp run or wasp mcp --wall process for walled processes",
      );
    }
  } catch (err) {
    const message = err instanceof WaspError ? err.message : String(err);
    await Deno.stderr.write(new TextEncoder().encode(`wasp serve: ${message}\n`));
    return 2;
  }
  if (ceiling === null) {
    await writeOut(SERVE_HELP);
    return 0;
  }
  const url = new URL("../pool/serving_wall.ts", import.meta.url).href;
  const { serveWalled } = await import(url) as typeof import("../pool/serving_wall.ts");
  return await serveWalled("serve", ceiling);
}
