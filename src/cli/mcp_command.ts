/**
 * `wasp mcp`: parse the operator's ceiling, then serve MCP over stdio. Launch errors go to
 * stderr (stdout belongs to the protocol) with exit status 2.
 * @module
 */
import { WaspError } from "../envelope.ts";
import { parseCeiling } from "../mcp/ceiling.ts";
import { MCP_HELP } from "./help.ts";
import { writeOut } from "./output.ts";

/** Runs `wasp mcp` with the arguments after `mcp`; returns the exit status. */
export async function mcpCommand(argv: string[]): Promise<number> {
  let ceiling;
  try {
    ceiling = parseCeiling(argv);
  } catch (err) {
    const message = err instanceof WaspError ? err.message : String(err);
    await Deno.stderr.write(new TextEncoder().encode(`wasp mcp: ${message}\n`));
    return 2;
  }
  if (ceiling === null) {
    await writeOut(MCP_HELP);
    return 0;
  }
  // a compiled binary cannot narrow a process it re-spawns, and a wasp run from a URL has no
  // local code to hand its Workers: both keep walled processes
  const local = new URL(import.meta.url).protocol === "file:";
  if (ceiling.wall === "pool" && !Deno.build.standalone && local) {
    // the pool's Workers live in the serving process, which is walled to the ceiling
    const url = new URL("../pool/serving_wall.ts", import.meta.url).href;
    const { serveWalled } = await import(url) as typeof import("../pool/serving_wall.ts");
    return await serveWalled("mcp", ceiling);
  }
  await (await import("../mcp/server.ts")).serveMcp(ceiling);
  return 0;
}
