/**
 * MCP benchmark: cold start of `wasp mcp` until tools/list answers, and the per-call time of
 * wasp_run against a cold `wasp run` of the same guest (medians, same machine, same run).
 *
 *   deno task bench:mcp [--runs N]
 * @module
 */
import { cGuest } from "../tests/helpers/guests.ts";
import { mcpClient } from "../tests/helpers/mcp_client.ts";
import { median, runsArg, timed } from "./stats.ts";

const RUNS = runsArg(15);
const root = new URL("../", import.meta.url).pathname;
const hello = await cGuest("hello");
const dir = hello.slice(0, hello.lastIndexOf("/"));
const name = hello.slice(hello.lastIndexOf("/") + 1);

const cold: number[] = [];
for (let i = 0; i < Math.min(RUNS, 8); i++) {
  const t0 = performance.now();
  const client = await mcpClient(["--module-dir", dir]);
  await client.listTools();
  cold.push(performance.now() - t0);
  await client.close();
}

const client = await mcpClient(["--module-dir", dir]);
await client.listTools();
const viaMcp: number[] = [];
const viaCli: number[] = [];
for (let i = 0; i < RUNS; i++) {
  viaMcp.push(
    await timed(() => client.callTool({ name: "wasp_run", arguments: { module: name } })),
  );
  viaCli.push(
    await timed(() =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", `${root}main.ts`, "run", hello],
        stdout: "piped",
      }).output()
    ),
  );
}
await client.close();
console.log(`runs: ${RUNS}, ${Deno.build.target}, deno ${Deno.version.deno}`);
console.log(`cold start until listTools: median ${median(cold).toFixed(1)} ms`);
console.log(`wasp_run call (warm server): median ${median(viaMcp).toFixed(1)} ms`);
console.log(`wasp run (cold CLI):         median ${median(viaCli).toFixed(1)} ms`);
