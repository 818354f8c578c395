/**
 * The pool's compiled-module cache holds only modules whose bytes it hashed itself: a Policy
 * whose bytes are not the ones its hash names cannot make later genuine runs run other code.
 */
import { assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { buildPolicy } from "../src/policy.ts";
import { createPool } from "../src/pool/pool.ts";

Deno.test("Pool.runPolicy refuses a Policy whose bytes do not match its hash, and the genuine module still runs", async () => {
  const hello = await cGuest("hello");
  const pool = createPool({ size: 0 });
  try {
    const genuine = buildPolicy({ module: hello });
    const forged = { ...genuine, moduleBytes: await Deno.readFile(await cGuest("cat")) };
    const refused = await pool.runPolicy(forged);
    assertEquals(refused.error_kind, "policy_error");
    assertMatch(refused.error!, /do not match its moduleSha256/);
    const victim = await pool.run({ module: hello });
    assertMatch(victim.stdout, /^hello from wasp\n/);
  } finally {
    pool.close();
  }
});
