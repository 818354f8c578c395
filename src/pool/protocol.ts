/**
 * Messages between a pool and its Workers (postMessage, never frames), and the shared
 * memory a run's output and broker requests travel through.
 * @module
 */
import type { EngineRequest, Outcome } from "../engine/mod.ts";
import type { PreparedModule } from "../engine/wasp.ts";
import type { KernelRule, KernelWall } from "../wall/landlock.ts";
import type { ReportData } from "../report/types.ts";

/** First message to a new Worker: the wall it puts up around its own thread. */
export interface WallOrder {
  t: "wall";
  /** The C library to reach unshare and Landlock through, or null where there is none. */
  libc: string | null;
  /** Whether to put up Landlock (false when switched off by WASP_KERNEL_WALL=off). */
  landlock: boolean;
  /** Why there is no kernel wall, when `landlock` is false. */
  why: string | null;
  rules: KernelRule[];
  /** The tree lock, opened by the Worker itself (flock is per open file description). */
  treeLock: string | null;
}

/** The Worker's answer to its wall order. */
export interface WallReport {
  t: "ready";
  kernel: KernelWall;
  /** Whether the thread's working directory is its own (unshare(CLONE_FS) succeeded). */
  privateFs: boolean;
  /** The inode of the tree lock the Worker holds open, or null without one. */
  lockIno: number | null;
  /** "dev:ino" of what each Landlock rule was put on, in rule order (empty without one). */
  ruleIds: string[];
  /** Why the Worker cannot run anything, if it cannot (then it ends). */
  error?: string;
  /** The envelope's error kind for `error` (default internal). */
  errorKind?: "policy_error" | "internal";
}

/** Second and last message to a Worker: its one run. */
export interface RunOrder {
  t: "run";
  request: Omit<EngineRequest, "module">;
  prepared: PreparedModule;
  /** The run's output: see OutputArea. */
  output: SharedArrayBuffer;
  /** The broker channel: see BrokerChannel. */
  broker: SharedArrayBuffer;
  /** Whether to post each kept chunk of output as it is written (for a streaming caller). */
  live: boolean;
}

/** Messages a Worker posts while it runs. */
export type WorkerNote =
  | WallReport
  | { t: "broker" }
  | { t: "chunk"; fd: 1 | 2; bytes: Uint8Array }
  | { t: "result"; outcome: Outcome; report?: ReportData };

/** Bytes of the broker channel's payload area (a request carries two paths of PATH_MAX). */
export const BROKER_BYTES = 16 * 1024;

/** Header of the broker channel: [state i32][length i32]; state 0 idle, 1 asked, 2 answered. */
export const BROKER_HEADER = 8;
