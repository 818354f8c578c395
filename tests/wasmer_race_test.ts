/**
 * The wasmer engine's copy-in and sync-back under the race of tests/race_test.ts: while a
 * second wasp run (the default engine, path_rename) or a host process (renameat2) flips the
 * workspace's directory `a` for the planted symlink `alink -> ../outside`, wasmer runs copy
 * the workspace in, change files below `a` (and try to write `alink` itself) and sync back.
 * The outside canary tree must stay unchanged; a sync-back that meets a flipped tree is
 * refused whole (policy_error), never applied through the link.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { canary, fileInodes, nativeSwapper, raceTree, startSwapper } from "./helpers/race.ts";
import { type CliResult, lines, wasp } from "./helpers/wasp.ts";

/** wasmer runs per case: each is one copy-in and one sync-back during the flipping. */
const RUNS = 4;

/** What each victim run changes, in turn: writes, appends, creations, removals, type swaps. */
const OPS = [
  ["write:/workspace/ws/a/f:VICTIM", "append:/workspace/ws/a/t:+", "write:/workspace/ws/alink:X"],
  ["mkdir:/workspace/ws/a/d", "write:/workspace/ws/a/d/new0:n", "unlink:/workspace/ws/a/f"],
  ["unlink:/workspace/ws/a/t", "mkdir:/workspace/ws/a/t", "write:/workspace/ws/a/x:new x"],
  ["write:/workspace/ws/a.tmp/f:VICTIM", "write:/workspace/ws/a/new1:n"],
];

async function victims(ws: string, env: Record<string, string>): Promise<CliResult[]> {
  const out = [];
  for (let i = 0; i < RUNS; i++) {
    out.push(
      await wasp([
        "run",
        await cGuest("fsops"),
        "--engine",
        "wasmer",
        "--allow-dir",
        `${ws}::/workspace/ws`,
        "--timeout",
        "60000",
        "--",
        ...OPS[i % OPS.length],
      ], { env }),
    );
  }
  return out;
}

/**
 * A flip between copy-in and sync-back refuses the whole sync-back; a flip during the copy-in
 * refuses the run. A host process holds no lock, so it can also swap a directory between
 * the staging and the commit: the envelope then names what did not land.
 */
function assertOutcomes(runs: CliResult[], host: boolean) {
  const allowed = host
    ? /nothing was synced back|changed while it was copied|synced back except/
    : /nothing was synced back/;
  for (const r of runs) {
    const e = r.envelope;
    if (e.status === "success") continue;
    assertEquals(e.error_kind, "policy_error", e.error ?? "");
    assert(allowed.test(e.error!), e.error!);
  }
}

function assertWalls(runs: CliResult[], kernel: "on" | "off") {
  for (const r of runs) {
    const landlock = r.envelope.policy?.walls?.landlock;
    if (kernel === "on") assert(landlock?.abi !== null, JSON.stringify(landlock));
    else assertEquals(landlock?.abi, null);
  }
}

async function assertNothingEscaped(box: { ws: string; outside: string }, before: unknown) {
  assertEquals(await canary(box.outside), before, "the outside tree changed");
  const outside = await fileInodes(box.outside);
  for (const ino of await fileInodes(box.ws)) {
    assert(!outside.has(ino), `a workspace file shares inode ${ino} with an outside file`);
  }
}

for (const kernel of ["on", "off"] as const) {
  const env: Record<string, string> = kernel === "off" ? { WASP_KERNEL_WALL: "off" } : {};

  Deno.test(`wasmer: copy-in and sync-back stay inside while a second run flips a directory for an outside symlink (kernel wall ${kernel})`, async () => {
    const box = await raceTree();
    const before = await canary(box.outside);
    const flipper = wasp([
      "run",
      await cGuest("race_flip"),
      "--allow-dir",
      `${box.ws}::/ws`,
      "--timeout",
      "120000",
    ], { env });
    let runs: CliResult[];
    try {
      runs = await victims(box.ws, env);
    } finally {
      await Deno.writeTextFile(`${box.ws}/stop`, "");
    }
    const flips = await flipper;
    assert(Number(lines(flips.envelope.stdout)[0]?.split(" ")[1]) > 0, flips.envelope.stdout);
    assertOutcomes(runs, false);
    assertWalls(runs, kernel);
    await assertNothingEscaped(box, before);
  });
}

Deno.test("wasmer: copy-in and sync-back stay inside while a host process swaps a directory with an outside symlink (kernel wall on)", async () => {
  const box = await raceTree();
  const before = await canary(box.outside);
  const swapper = startSwapper(await nativeSwapper(), box.ws, "a", "alink", `${box.ws}/stop`);
  let runs: CliResult[];
  try {
    runs = await victims(box.ws, {});
  } finally {
    await Deno.writeTextFile(`${box.ws}/stop`, "");
  }
  const swaps = new TextDecoder().decode((await swapper.output()).stdout);
  assert(Number(swaps.split(" ")[1]) > 0, swaps);
  assertOutcomes(runs, true);
  assertWalls(runs, "on");
  await assertNothingEscaped(box, before);
});
