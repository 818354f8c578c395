/**
 * The race of tests/race_test.ts through one `wasp mcp` server: two concurrent `wasp_run`
 * calls share one read-write alias, one flipping a directory for an outside symlink, the other
 * running every path operation through it. Nothing outside may change.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { mcpClient } from "./helpers/mcp_client.ts";
import { canary, fileInodes, raceTree } from "./helpers/race.ts";
import { lines } from "./helpers/wasp.ts";
import type { Envelope } from "../src/envelope.ts";

Deno.test("mcp: two concurrent calls sharing an alias cannot race a directory swap out of it or into a read-only alias", async () => {
  const box = await raceTree();
  const mods = `${box.root}/mods`;
  await Deno.mkdir(mods);
  await Deno.copyFile(await cGuest("race_flip"), `${mods}/flip.wasm`);
  await Deno.copyFile(await cGuest("race_victim"), `${mods}/victim.wasm`);
  const before = await canary(box.outside);
  const roBefore = await canary(box.ro);
  const client = await mcpClient([
    "--allow-dir",
    `ws=${box.ws}`,
    "--allow-dir",
    `ro=${box.ro}:ro`,
    "--module-dir",
    mods,
    "--max-timeout",
    "120000",
    "--max-concurrency",
    "2",
  ]);
  try {
    const call = (module: string, args: string[], mounts: { alias: string }[]) =>
      client.callTool(
        { name: "wasp_run", arguments: { module, args, mounts, timeout_ms: 120000 } },
        undefined,
        { timeout: 180_000 },
      ).then((r: { structuredContent?: unknown }) => r.structuredContent as Envelope);
    const flipping = call("flip.wasm", [], [{ alias: "ws" }]);
    const victim = await call("victim.wasm", ["400", "all"], [{ alias: "ws" }, { alias: "ro" }]);
    await Deno.writeTextFile(`${box.ws}/stop`, "");
    const flips = await flipping;
    assertEquals(victim.status, "success", victim.error ?? "");
    assertEquals(lines(victim.stdout).filter((l) => /^(LEAK|META)/.test(l)), []);
    assert(Number(lines(flips.stdout)[0]?.split(" ")[1]) > 0, flips.stdout);
  } finally {
    await client.close();
  }
  assertEquals(await canary(box.outside), before);
  assertEquals(await canary(box.ro), roBefore);
  const outside = await fileInodes(box.outside);
  for (const ino of await fileInodes(box.ws)) assert(!outside.has(ino), `shared inode ${ino}`);
});
