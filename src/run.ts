/**
 * `run()`: the whole of a run as a function — Policy, walled child, envelope.
 * @module
 */
import { type Envelope, envelopeFromError } from "./envelope.ts";
import {
  type CheckedPolicy,
  checkPolicy,
  type Policy,
  type PolicyInput,
  summarize,
  withModule,
} from "./policy.ts";
import { runWalled, type WalledOptions } from "./wall/run_walled.ts";
import { defaultWall } from "./wall/child_command.ts";
import type { PoolRunOptions } from "./pool/pool.ts";

/** What runs a Policy in a pool Worker (src/pool/pool.ts's Pool). */
export interface PolicyPool {
  runPolicy(policy: Policy, options: PoolRunOptions): Promise<Envelope>;
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
  let policy: CheckedPolicy;
  try {
    // the module is read by runWalled once the walled child is starting
    policy = checkPolicy(input);
  } catch (err) {
    return envelopeFromError(err, null, startedAt);
  }
  return await runPolicy(policy, { ...options, startedAt });
}

/** Runs an already checked Policy. Never throws. */
export async function runPolicy(
  policy: Policy | CheckedPolicy,
  options: RunOptions = {},
): Promise<Envelope> {
  const startedAt = options.startedAt ?? performance.now();
  try {
    if (options.pool?.check !== undefined) {
      // a pool's ceiling bounds every run made with it, whatever engine or wall runs it; the
      // bytes it checked (their size) are the bytes that run
      // read synchronously: runs made with one pool take its slots in the order they came
      policy = withModule(policy);
      options.pool.check(policy);
    }
    let wall = options.pool ? "pool" : options.wall ?? defaultWall();
    // the pool runs wasp's own engine; the wasmer engine's runs keep a walled process
    if (wall === "pool" && policy.engine !== "wasp") wall = "process";
    if (wall === "pool") {
      const pool = options.pool ?? await processPool();
      const full = withModule(policy);
      const listen = options.onOutput;
      const format = { encoding: full.outputEncoding, maxBytes: full.limits.maxOutputBytes };
      return await pool.runPolicy(full, {
        signal: options.signal,
        startedAt,
        onOutput: listen &&
          ((fd, bytes) => listen(fd === 1 ? "stdout" : "stderr", bytes, format)),
      });
    }
    return await runWalled(policy, { ...options, wall, startedAt });
  } catch (err) {
    let full: Policy | null = null;
    try {
      full = withModule(policy);
    } catch {
      // the module cannot be read either: the envelope names no policy, as buildPolicy's
    }
    return envelopeFromError(err, full === null ? null : summarize(full), startedAt);
  }
}
