/**
 * A cancelled run's envelope does not depend on the moment the cancellation lands: before the
 * walled child is spawned, while the parent reads the module (which it does after the spawn),
 * or while the guest runs, it is `cancelled` and names the run's policy.
 */
import { assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { withDeadline } from "./helpers/wasp.ts";
import { run } from "../src/run.ts";
import { buildPolicy } from "../src/policy.ts";

/** Cancellation moments swept: at the call, then 1, 2, ... ms after it. */
const MOMENTS = 40;

Deno.test("run() cancelled at any moment reports cancelled with its policy", async () => {
  const loop = await cGuest("loop");
  const sha = buildPolicy({ module: loop }).moduleSha256;
  const seen: string[] = [];
  for (let ms = 0; ms < MOMENTS; ms++) {
    const controller = new AbortController();
    const pending = run({ module: loop, limits: { timeoutMs: 0 } }, { signal: controller.signal });
    // the moment only varies where the cancellation lands; any moment must give the same
    const timer = setTimeout(() => controller.abort(), ms);
    const e = await withDeadline(pending, `the run cancelled after ${ms} ms`);
    clearTimeout(timer);
    seen.push(`${e.error_kind} ${e.policy?.module_sha256 === sha ? "with" : "without"} policy`);
  }
  assertEquals(
    [...new Set(seen)],
    ["cancelled with policy"],
    seen.map((s, ms) => `${ms} ms: ${s}`).join("\n"),
  );
});
