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
  readModule,
  summarize,
} from "./policy.ts";
import { runWalled, type WalledOptions } from "./wall/run_walled.ts";

/** Options of `run()`. */
export type RunOptions = WalledOptions;

/** Checks `input`, runs the guest behind both walls and returns the envelope. Never throws. */
export async function run(input: PolicyInput, options: RunOptions = {}): Promise<Envelope> {
  const startedAt = options.startedAt ?? performance.now();
  let policy: CheckedPolicy;
  try {
    // the module is read by runWalled once the walled child is starting: reading it loads
    // Node's compatibility layer (src/module_file.ts), which then costs no waiting
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
    return await runWalled(policy, { ...options, startedAt });
  } catch (err) {
    let full: Policy | null = null;
    try {
      full = "moduleBytes" in policy ? policy : readModule(policy);
    } catch {
      // the module cannot be read either: the envelope names no policy, as buildPolicy's
    }
    return envelopeFromError(err, full === null ? null : summarize(full), startedAt);
  }
}
