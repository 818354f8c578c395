/**
 * The operator's ceiling flags of `wasp mcp`: what --help promises is what they do, and a bad
 * flag says exactly what is wrong (on stderr, exit status 2: stdout belongs to the protocol).
 */
import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { PARENT_FLAGS, ROOT, tree } from "./helpers/wasp.ts";
import { MCP_MAX_OUTPUT_CAP, parseCeiling } from "../src/mcp/ceiling.ts";

async function launch(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...PARENT_FLAGS, `${ROOT}main.ts`, "mcp", ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("wasp mcp refuses bad ceilings on stderr, naming the flag and what it accepts", async () => {
  const dir = await tree({ "ws/": "" });
  const cases: [string[], RegExp][] = [
    [["--max-timeout", "0"], /--max-timeout must be a whole number of milliseconds of 1 or more/],
    [["--max-timeout", "abc"], /--max-timeout must be .* not "abc"/],
    [["--max-concurrency", "0"], /--max-concurrency must be a whole number of runs of 1 or more/],
    [["--max-output", "17mb"], /--max-output cannot exceed 16mb for wasp mcp/],
    [["--allow-dir", `ws=${dir}/ws:rx`], /unknown mode "rx"; use :ro .* or :rw/],
    [["--allow-dir", `ws=${dir}/ws:RO`], /unknown mode "RO"/],
  ];
  for (const [args, pattern] of cases) {
    const r = await launch(args);
    assertEquals(r.code, 2, args.join(" "));
    assertEquals(r.stdout, "");
    assertMatch(r.stderr, pattern);
    assertEquals(r.stderr.includes("0 for none"), false);
  }
  const help = await launch(["--help"]);
  assertEquals(help.stdout.includes("0 for none"), false);
  assertMatch(help.stdout, /--max-timeout MS +the longest a run may take, 1 or more/);
});

Deno.test("parseCeiling() takes :ro, :rw and the 16 MiB output ceiling as given", async () => {
  const dir = await tree({ "a/": "", "b/": "" });
  const c = parseCeiling([
    "--allow-dir",
    `a=${dir}/a:ro`,
    "--allow-dir",
    `b=${dir}/b:rw`,
    "--max-output",
    "16mb",
    "--max-timeout",
    "1",
  ])!;
  assertEquals(c.aliases.get("a"), { host: `${dir}/a`, access: "read-only" });
  assertEquals(c.aliases.get("b"), { host: `${dir}/b`, access: "read-write" });
  assertEquals(c.maxOutputBytes, MCP_MAX_OUTPUT_CAP);
  assertEquals(c.timeoutMs, 1);
});
