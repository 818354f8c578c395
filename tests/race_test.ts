/**
 * Concurrency is part of the threat model (SPEC §6): every path operation must stay inside
 * its grant while something else flips a directory of the granted tree for a symlink that
 * leads out — a second wasp run sharing the workspace (path_rename), or a host process
 * (renameat2 RENAME_EXCHANGE). Each case runs with the kernel wall and, switched off by the
 * test-only WASP_KERNEL_WALL=off, on walls 1 and 2 alone. Afterwards the outside canary tree
 * must be unchanged (names, sizes, mtimes, link counts, inodes) and no workspace file may
 * share an inode with an outside file.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import {
  canary,
  fileInodes,
  nativeSwapper,
  type RaceTree,
  raceTree,
  startSwapper,
} from "./helpers/race.ts";
import { type CliResult, lines, wasp } from "./helpers/wasp.ts";

/** Victim iterations per run: each runs all 17 path operations once. */
const ITERATIONS = 1000;

function counts(result: CliResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of lines(result.envelope.stdout)) {
    const [op, n] = line.split(" ");
    if (/^\d+$/.test(n ?? "")) out[op] = Number(n);
  }
  return out;
}

/** What the victim saw that only exists outside: "LEAK" lines, and "META" lines too. */
function leaks(result: CliResult, metadata = true): string[] {
  return lines(result.envelope.stdout).filter((l) =>
    l.startsWith("LEAK") || (metadata && l.startsWith("META"))
  );
}

async function assertNothingEscaped(box: RaceTree, before: unknown, roBefore?: unknown) {
  assertEquals(await canary(box.outside), before, "the outside tree changed");
  if (roBefore !== undefined) {
    assertEquals(await canary(box.ro), roBefore, "the read-only tree changed");
  }
  const outside = await fileInodes(box.outside);
  for (const ino of await fileInodes(box.ws)) {
    assert(!outside.has(ino), `a workspace file shares inode ${ino} with an outside file`);
  }
}

function assertWalls(result: CliResult, kernel: "on" | "off") {
  const landlock = result.envelope.policy?.walls?.landlock;
  if (kernel === "on") assert(landlock?.abi !== null, JSON.stringify(landlock));
  else assertEquals(landlock?.abi, null);
}

for (const kernel of ["on", "off"] as const) {
  const env: Record<string, string> = kernel === "off" ? { WASP_KERNEL_WALL: "off" } : {};

  // A guest can neither create a symlink that leads out nor move the host's, so a second run
  // flips the directory for a link into the read-only part of the grant instead.
  Deno.test(`run() keeps every path operation inside while a second run flips a directory for a symlink into a read-only grant (kernel wall ${kernel})`, async () => {
    const box = await raceTree();
    const before = await canary(box.outside);
    const roBefore = await canary(box.ro);
    const grant = ["--allow-dir", `${box.ws}::/ws`, "--timeout", "120000"];
    const flipper = wasp(["run", await cGuest("race_flip"), ...grant], { env });
    const victim = await wasp(
      [
        "run",
        await cGuest("race_victim"),
        ...grant,
        "--allow-dir-ro",
        `${box.ro}::/ro`,
        "--",
        String(ITERATIONS),
        "all",
      ],
      { env },
    );
    await Deno.writeTextFile(`${box.ws}/stop`, "");
    const flips = await flipper;
    assertEquals(victim.envelope.status, "success", victim.envelope.error ?? "");
    assertEquals(leaks(victim), []);
    assert(Number(lines(flips.envelope.stdout)[0]?.split(" ")[1]) > 0, flips.envelope.stdout);
    // the test is not vacuous: operations also succeeded, in the real directory (not every
    // one each time: the two runs' lock turns can keep a pair of calls out of phase)
    const done = counts(victim);
    assertEquals(Object.keys(done).length, 17, victim.envelope.stdout);
    assert(Object.values(done).reduce((a, b) => a + b, 0) > 0, JSON.stringify(done));
    await assertNothingEscaped(box, before, roBefore);
    assertWalls(victim, kernel);
  });
}

// A host process is bound by no lock of wasp's, and Deno re-resolves every path it is given
// (relative ones from the working directory's current path): against it, wasp rests on the
// kernel wall. Landlock does not cover stat, so a racing host process can show the guest an
// outside object's metadata (never its contents, and never let it change anything); the
// README states this limit.
Deno.test("run() keeps every path operation inside while a host process swaps a directory with an outside symlink (kernel wall on)", async () => {
  const box = await raceTree();
  const before = await canary(box.outside);
  const swapper = startSwapper(await nativeSwapper(), box.ws, "a", "alink", `${box.ws}/stop`);
  await Deno.writeTextFile(`${box.ws}/flipping`, "");
  let victim: CliResult;
  try {
    victim = await wasp([
      "run",
      await cGuest("race_victim"),
      "--allow-dir",
      `${box.ws}::/ws`,
      "--timeout",
      "120000",
      "--",
      String(ITERATIONS),
      "all",
    ]);
  } finally {
    await Deno.writeTextFile(`${box.ws}/stop`, "");
  }
  const swaps = new TextDecoder().decode((await swapper.output()).stdout);
  assertEquals(victim.envelope.status, "success", victim.envelope.error ?? "");
  assertEquals(leaks(victim, false), []);
  assert(Number(swaps.split(" ")[1]) > 0, swaps);
  await assertNothingEscaped(box, before);
  assertWalls(victim, "on");
});

Deno.test("run() never shows the parent's environment while /proc/<wasp pid> is swapped into the workspace", async () => {
  const box = await raceTree();
  const secret = `wasp-secret-${crypto.randomUUID()}`;
  const victimWasm = await cGuest("race_victim");
  const command = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-run",
      "--allow-env",
      new URL("../main.ts", import.meta.url).pathname,
      "run",
      victimWasm,
      "--allow-dir",
      `${box.ws}::/ws`,
      "--timeout",
      "120000",
      "--",
      "300",
      "single",
      "environ",
    ],
    env: { WASP_RACE_SECRET: secret },
    stdout: "piped",
    stderr: "piped",
  });
  const child = command.spawn();
  await Deno.symlink(`/proc/${child.pid}`, `${box.ws}/plink`);
  const swapper = startSwapper(await nativeSwapper(), box.ws, "a", "plink", `${box.ws}/stop`);
  await Deno.writeTextFile(`${box.ws}/flipping`, "");
  const out = await child.output();
  await Deno.writeTextFile(`${box.ws}/stop`, "");
  await swapper.output();
  const stdout = new TextDecoder().decode(out.stdout);
  assertEquals(stdout.includes(secret), false);
  const envelope = JSON.parse(stdout);
  assertEquals(envelope.status, "success", envelope.error ?? "");
  assertEquals(lines(envelope.stdout).filter((l) => l.startsWith("EXTRA")), []);
});
