/**
 * `run()`: the whole of a run as a function — Policy, walled child, envelope.
 * @module
 */
import { type Envelope, envelopeFromError } from "./envelope.ts";
import { buildPolicy, type Policy, type PolicyInput, summarize } from "./policy.ts";
import { runWalled, type WalledOptions } from "./wall/run_walled.ts";
import { defaultWall } from "./wall/child_command.ts";

/** What runs a Policy in a pool Worker (src/pool/pool.ts's Pool). */
export interface PolicyPool {
  runPolicy(policy: Policy, options: { signal?: AbortSignal; startedAt?: number }): Promise<
    Envelope
  >;
  /** Throws unless `policy` stays within the pool's ceiling (for runs that leave the pool). */
  check?(policy: Policy): void;
}

/** Options of `run()`. */
export interface RunOptions extends WalledOptions {
  /** Run in this pool's Workers (`wall` is then "pool"). */
  pool?: PolicyPool;
}

/** The pool of `wall: "pool"` runs that name none: one per process, made at first use. */
let ownPool: Promise<PolicyPool> | null = null;

function processPool(): Promise<PolicyPool> {
  // a computed specifier: the pool's modules load only for pooled runs
  const url = new URL("./pool/pool.ts", import.meta.url).href;
  ownPool ??= import(url).then((m: { Pool: new (o: { size: number }) => PolicyPool }) =>
    new m.Pool({ size: 0 })
  );
  return ownPool;
}

/** Checks `input`, runs the guest behind both walls and returns the envelope. Never throws. */
export async function run(input: PolicyInput, options: RunOptions = {}): Promise<Envelope> {
  const startedAt = options.startedAt ?? performance.now();
  let policy: Policy;
  try {
    policy = buildPolicy(input);
  } catch (err) {
    return envelopeFromError(err, null, startedAt);
  }
  return await runPolicy(policy, { ...options, startedAt });
}

/** Runs an already checked Policy. Never throws. */
export async function runPolicy(policy: Policy, options: RunOptions = {}): Promise<Envelope> {
  const startedAt = options.startedAt ?? performance.now();
  try {
    // a pool's ceiling bounds every run made with it, whatever engine or wall runs it
    options.pool?.check?.(policy);
    let wall = options.pool ? "pool" : options.wall ?? defaultWall();
    // the pool runs wasp's own engine; the wasmer engine's runs keep a walled process
    if (wall === "pool" && policy.engine !== "wasp") wall = "process";
    if (wall === "pool") {
      const pool = options.pool ?? await processPool();
      return await pool.runPolicy(policy, { signal: options.signal, startedAt });
    }
    return await runWalled(policy, { ...options, wall, startedAt });
  } catch (err) {
    return envelopeFromError(err, summarize(policy), startedAt);
  }
}
