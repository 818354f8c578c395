/**
 * `run()`: the whole of a run as a function — Policy, walled child, envelope.
 * @module
 */
import { type Envelope, envelopeFromError } from "./envelope.ts";
import { buildPolicy, type Policy, type PolicyInput, summarize } from "./policy.ts";
import { runWalled, type WalledOptions } from "./wall/run_walled.ts";

/** Options of `run()`. */
export type RunOptions = WalledOptions;

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
    return await runWalled(policy, { ...options, startedAt });
  } catch (err) {
    return envelopeFromError(err, summarize(policy), startedAt);
  }
}
