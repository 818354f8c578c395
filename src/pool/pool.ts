/**
 * The warm pool: pre-walled, single-use Workers in the serving process, kept per permission
 * set, so that a run costs a few milliseconds instead of two Deno start-ups. Each run gets a
 * new Worker (its own thread, V8 isolate, instance, memory and fd table), walled with its
 * run's grants before the guest is handed over, and terminated afterwards; nothing of one run
 * is visible to the next. Compiled modules are shared, keyed by content hash.
 * @module
 */
import { type Envelope, envelopeFromError, refusal } from "../envelope.ts";
import { buildPolicy, type Policy, type PolicyInput, summarize } from "../policy.ts";
import { kernelPlan } from "../wall/child_command.ts";
import { findLibc } from "../wall/landlock.ts";
import { treeLockPath } from "../wall/tree_lock.ts";
import { type PythonInput, runPython } from "../runtimes/python_run.ts";
import { checkCeiling, type PoolCeiling } from "./pool_ceiling.ts";
import { ModuleCache } from "./module_cache.ts";
import { runInWorker } from "./pool_run.ts";
import { Slots } from "./slots.ts";
import { WarmWorker } from "./warm_worker.ts";
import { grantsFor, type PoolHost, type WorkerGrants } from "./worker_grants.ts";

export type { PoolCeiling } from "./pool_ceiling.ts";

/** Options of `createPool`. */
export interface PoolOptions {
  /**
   * What runs may reach (directories, module directories, env keys, limits); a run asking
   * for more is refused. Omitted: no ceiling beyond the caller's own checks.
   */
  ceiling?: PoolCeiling;
  /** Pre-walled Workers kept waiting per permission set (default 2; 0 keeps none). */
  size?: number;
  /** Runs at once; more wait in order (default 4). */
  concurrency?: number;
  /** Permission sets kept warm at once, least recently used dropped first (default 4). */
  keys?: number;
}

/** Options of one pooled run. */
export interface PoolRunOptions {
  /** Aborting stops the run (its Worker is terminated); the envelope says `cancelled`. */
  signal?: AbortSignal;
  /** When the run began (a `performance.now()` reading); default: when the call began. */
  startedAt?: number;
  /** Called with each chunk of output the envelope keeps, as the guest writes it. */
  onOutput?: (fd: 1 | 2, bytes: Uint8Array) => void;
}

/** Figures about a pool (for benchmarks and tests). */
export interface PoolStats {
  warm: number;
  keys: number;
  running: number;
  modules: number;
  runs: number;
  warmHits: number;
}

/** A pool of pre-walled Workers; see `createPool`. */
export class Pool {
  readonly #ceiling: PoolCeiling | null;
  readonly #size: number;
  readonly #maxKeys: number;
  readonly #slots: Slots;
  readonly #modules = new ModuleCache();
  readonly #warm = new Map<string, { grants: WorkerGrants; workers: WarmWorker[] }>();
  readonly #closing = new AbortController();
  #host: PoolHost | null = null;
  #running = 0;
  #runs = 0;
  #warmHits = 0;

  constructor(options: PoolOptions = {}) {
    this.#ceiling = options.ceiling ?? null;
    this.#size = Math.max(0, Math.min(options.size ?? 2, 16));
    this.#maxKeys = Math.max(1, options.keys ?? 4);
    this.#slots = new Slots(Math.max(1, options.concurrency ?? 4));
  }

  /** The host facts every Worker shares, found once. */
  get host(): PoolHost {
    if (this.#host === null) {
      const plan = kernelPlan();
      this.#host = {
        libc: plan.libc ?? findLibc(),
        landlock: plan.libc !== null,
        why: plan.why,
        treeLock: treeLockPath(),
      };
    }
    return this.#host;
  }

  /** Pre-walls `size` Workers for runs with no directory grants (hello, `python -c`). */
  prewarm(): void {
    this.#topUp(grantsFor([], this.host));
  }

  /** Resolves when every permission set kept warm has its Workers walled. */
  async warmed(): Promise<void> {
    clearTimeout(this.#refillTimer);
    this.#refillTimer = undefined;
    const pending = [...this.#refill.values()];
    this.#refill.clear();
    for (const grants of pending) this.#topUp(grants);
    const all = [...this.#warm.values()].flatMap((k) => k.workers.map((w) => w.ready));
    await Promise.all(all);
  }

  /** Checks `input` like `run()` and runs it in a pool Worker. Never throws. */
  async run(input: PolicyInput, options: PoolRunOptions = {}): Promise<Envelope> {
    const startedAt = options.startedAt ?? performance.now();
    let policy: Policy;
    try {
      policy = buildPolicy(input);
    } catch (err) {
      return envelopeFromError(err, null, startedAt);
    }
    return await this.runPolicy(policy, { ...options, startedAt });
  }

  /** Runs a Python program (as `runPython()` does) in a pool Worker. Never throws. */
  async runPython(input: PythonInput, options: PoolRunOptions = {}): Promise<Envelope> {
    return await runPython(input, {
      signal: options.signal,
      startedAt: options.startedAt,
      pool: this,
    });
  }

  /** Throws a policy_error unless `policy` stays within this pool's ceiling (if it has one). */
  check(policy: Policy): void {
    if (this.#ceiling !== null) checkCeiling(policy, this.#ceiling);
  }

  /** Runs an already built Policy in a pool Worker. Never throws. */
  async runPolicy(policy: Policy, options: PoolRunOptions = {}): Promise<Envelope> {
    const startedAt = options.startedAt ?? performance.now();
    if (this.#closing.signal.aborted) {
      return refusal("cancelled", "the pool is closed; create a new one", null, startedAt);
    }
    try {
      if (policy.engine !== "wasp") {
        return refusal(
          "policy_error",
          "the pool runs wasp's own engine only; run --engine wasmer with the process wall",
          summarize(policy),
          startedAt,
        );
      }
      this.check(policy);
      const signal = options.signal
        ? AbortSignal.any([options.signal, this.#closing.signal])
        : this.#closing.signal;
      let release: () => void;
      try {
        release = await this.#slots.acquire(signal);
      } catch {
        return refusal(
          "cancelled",
          "the run was cancelled before it started",
          summarize(policy),
          startedAt,
        );
      }
      this.#running++;
      this.#runs++;
      try {
        return await runInWorker(policy, {
          startedAt,
          signal,
          onOutput: options.onOutput,
          host: this.host,
          modules: this.#modules,
          worker: (grants) => this.#take(grants),
          stale: () => this.#dropWarm(),
        });
      } finally {
        this.#running--;
        release();
        this.#scheduleRefill();
      }
    } catch (err) {
      return envelopeFromError(err, summarize(policy), startedAt);
    }
  }

  /** A walled Worker for `grants`: a warm one if there is one (then one is made to follow). */
  #take(grants: WorkerGrants): WarmWorker {
    const entry = this.#warm.get(grants.key);
    let worker: WarmWorker | undefined;
    while (entry && entry.workers.length > 0 && worker === undefined) {
      const w = entry.workers.shift()!;
      if (!w.ended) worker = w;
    }
    if (worker !== undefined) this.#warmHits++;
    // Creating a Worker blocks this thread for the new isolate's start-up (some 10-20 ms):
    // the replacement is made once this run's envelope has gone out, not before.
    this.#refill.set(grants.key, grants);
    return worker ?? new WarmWorker(grants, this.host.libc);
  }

  /** Permission sets whose warm Workers were taken and are to be replaced. */
  readonly #refill = new Map<string, WorkerGrants>();
  #refillTimer: ReturnType<typeof setTimeout> | undefined;

  #scheduleRefill(): void {
    if (this.#refillTimer !== undefined || this.#refill.size === 0) return;
    this.#refillTimer = setTimeout(() => {
      this.#refillTimer = undefined;
      const all = [...this.#refill.values()];
      this.#refill.clear();
      for (const grants of all) this.#topUp(grants);
    }, 0);
  }

  /** Makes the Workers kept for `grants` `size` again, and marks the key recently used. */
  #topUp(grants: WorkerGrants): void {
    if (this.#size === 0 || this.#closing.signal.aborted) return;
    const entry = this.#warm.get(grants.key) ?? { grants, workers: [] };
    this.#warm.delete(grants.key);
    this.#warm.set(grants.key, entry);
    entry.workers = entry.workers.filter((w) => !w.ended);
    try {
      while (entry.workers.length < this.#size) {
        entry.workers.push(new WarmWorker(grants, this.host.libc));
      }
    } catch {
      // no Worker can be made (say, no --unstable-worker-options): runs report why
    }
    while (this.#warm.size > this.#maxKeys) {
      const [oldest, old] = this.#warm.entries().next().value!;
      for (const w of old.workers) w.end();
      this.#warm.delete(oldest);
    }
  }

  /** Ends every waiting Worker. */
  #dropWarm(): void {
    for (const e of this.#warm.values()) for (const w of e.workers) w.end();
    this.#warm.clear();
  }

  /** Figures about the pool now. */
  stats(): PoolStats {
    let warm = 0;
    for (const e of this.#warm.values()) warm += e.workers.length;
    return {
      warm,
      keys: this.#warm.size,
      running: this.#running,
      modules: this.#modules.size,
      runs: this.#runs,
      warmHits: this.#warmHits,
    };
  }

  /** Cancels every run in flight and terminates every Worker; later runs are refused. */
  close(): void {
    this.#closing.abort("the pool was closed");
    clearTimeout(this.#refillTimer);
    this.#refill.clear();
    this.#dropWarm();
  }
}

/** Creates a pool of pre-walled Workers and pre-walls Workers for grant-less runs. */
export function createPool(options: PoolOptions = {}): Pool {
  const pool = new Pool(options);
  pool.prewarm();
  return pool;
}
