/**
 * A real MCP client (the official SDK's Client over stdio) connected to `wasp mcp`.
 * @module
 */
import { PARENT_FLAGS, ROOT } from "./wasp.ts";

const MCP = "npm:@modelcontextprotocol/sdk@1.32.2";

type ClientModule = typeof import("npm:@modelcontextprotocol/sdk@1.32.2/client/index.js");
type Client = InstanceType<ClientModule["Client"]>;

/** Spawns `wasp mcp` with `args` (and `env` added to the SDK's default environment). */
export async function mcpClient(args: string[], env?: Record<string, string>): Promise<Client> {
  const { Client }: ClientModule = await import(`${MCP}/client/index.js`);
  const { StdioClientTransport, getDefaultEnvironment }:
    typeof import("npm:@modelcontextprotocol/sdk@1.32.2/client/stdio.js") = await import(
      `${MCP}/client/stdio.js`
    );
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: [
      "run",
      "--quiet",
      ...PARENT_FLAGS,
      `${ROOT}main.ts`,
      "mcp",
      ...args,
    ],
    stderr: "pipe",
    env: env === undefined ? undefined : { ...getDefaultEnvironment(), ...env },
  });
  const client = new Client({ name: "wasp-tests", version: "1.0.0" });
  await client.connect(transport);
  return client;
}
