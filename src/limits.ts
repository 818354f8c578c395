/**
 * Resource limits of a run and the parsing of their textual forms.
 * @module
 */
import { WaspError } from "./envelope.ts";

/** Limits enforced on one run. A timeout of 0 means none. */
export interface Limits {
  timeoutMs: number;
  maxMemoryBytes: number;
  maxOutputBytes: number;
  /** Most bytes of stdin (`--stdin FILE|-` or library bytes) a run accepts. */
  maxStdinBytes: number;
  /** Most files a copying engine (wasmer) copies in or syncs back per run. */
  maxSyncFiles: number;
  /** Most bytes a copying engine (wasmer) copies in or syncs back per run. */
  maxSyncBytes: number;
  /** Largest size a guest may give a file by writing, allocating or resizing (null: none). */
  maxFileBytes: number | null;
}

/**
 * The defaults of SPEC §2 (30 s, 512 MiB memory, 1 MiB per output stream), 64 MiB of stdin,
 * and for the copying engine 10,000 files / 256 MiB per run.
 */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  timeoutMs: 30_000,
  maxMemoryBytes: 512 * 1024 * 1024,
  maxOutputBytes: 1024 * 1024,
  maxStdinBytes: 64 * 1024 * 1024,
  maxSyncFiles: 10_000,
  maxSyncBytes: 256 * 1024 * 1024,
  maxFileBytes: null,
});

/**
 * Largest output cap per stream: 64 MiB. Output travels inside a JSON string; larger guest
 * results belong in a file in a granted directory.
 */
export const MAX_OUTPUT_CAP = 64 * 1024 * 1024;

/**
 * Largest stdin cap: 1 GiB. wasp holds stdin in memory and hands it to the walled child in
 * one frame; bigger inputs belong in a file in a granted directory.
 */
export const MAX_STDIN_CAP = 1024 * 1024 * 1024;

/** Largest module file wasp reads: 256 MiB (V8 itself refuses modules past 1 GiB). */
export const MAX_MODULE_BYTES = 256 * 1024 * 1024;

/** WebAssembly's hard ceiling for 32-bit memories: 4 GiB. */
export const WASM32_MAX_BYTES = 4 * 1024 * 1024 * 1024;

/**
 * The documented ceiling of every numeric limit. A value past it is refused, never clamped:
 * timeouts stop at 2^31 - 1 ms (about 24.8 days, the longest timer the runtime can set),
 * memory at 4 GiB (wasm32), output at 64 MiB per stream, the wasmer engine's copy at
 * 1,000,000 files and 4 GiB, and file sizes at 2^53 - 1 bytes.
 */
export const LIMIT_MAXIMA: Readonly<Record<keyof Limits, number>> = Object.freeze({
  timeoutMs: 2 ** 31 - 1,
  maxMemoryBytes: WASM32_MAX_BYTES,
  maxOutputBytes: MAX_OUTPUT_CAP,
  maxStdinBytes: MAX_STDIN_CAP,
  maxSyncFiles: 1_000_000,
  maxSyncBytes: 4 * 1024 * 1024 * 1024,
  maxFileBytes: Number.MAX_SAFE_INTEGER,
});

/** Names of the limits as the command line spells them (for messages). */
const FLAG: Record<keyof Limits, string> = {
  timeoutMs: "--timeout",
  maxMemoryBytes: "--max-memory",
  maxOutputBytes: "--max-output",
  maxStdinBytes: "--max-stdin",
  maxSyncFiles: "--max-sync-files",
  maxSyncBytes: "--max-sync-bytes",
  maxFileBytes: "--max-file-size",
};

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** Parses `1048576`, `64kb`, `512mb`, `1GiB` (binary multiples) into bytes. */
export function parseByteSize(text: string, what: string): number {
  const m = /^\s*(\d+)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new WaspError(
      "invalid_argument",
      `${what} must be a byte count such as 1048576, 64kb or 512mb, not "${text}"`,
    );
  }
  const value = Number(m[1]) * unit;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new WaspError("invalid_argument", `${what} must be a positive size, not "${text}"`);
  }
  return value;
}

/** Parses a non-negative whole number of milliseconds. */
export function parseMillis(text: string, what: string): number {
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new WaspError(
      "invalid_argument",
      `${what} must be a whole number of milliseconds (0 for none), not "${text}"`,
    );
  }
  return Number(text);
}

/** Parses a non-negative whole number (a count, not a size). */
export function parseCount(text: string, what: string): number {
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new WaspError("invalid_argument", `${what} must be a whole number, not "${text}"`);
  }
  return Number(text);
}

/** Checks limit values that came from a typed source (a manifest or the library API). */
export function checkLimits(limits: Limits): Limits {
  const { timeoutMs, maxMemoryBytes, maxOutputBytes } = limits;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 0) {
    throw new WaspError("invalid_argument", "timeout must be a whole number of ms, 0 for none");
  }
  if (!Number.isSafeInteger(maxMemoryBytes) || maxMemoryBytes < 65536) {
    throw new WaspError("invalid_argument", "max memory must be at least 65536 bytes (one page)");
  }
  if (maxMemoryBytes > WASM32_MAX_BYTES) {
    throw new WaspError("invalid_argument", "max memory cannot exceed 4 GiB for wasm32 guests");
  }
  if (!Number.isSafeInteger(maxOutputBytes) || maxOutputBytes <= 0) {
    throw new WaspError("invalid_argument", "max output must be a positive byte count");
  }
  for (
    const [name, v] of [["max sync files", limits.maxSyncFiles], [
      "max sync bytes",
      limits.maxSyncBytes,
    ]] as const
  ) {
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new WaspError("invalid_argument", `${name} must be a whole number, 0 or more`);
    }
  }
  const fileBytes = limits.maxFileBytes;
  if (fileBytes !== null && (!Number.isSafeInteger(fileBytes) || fileBytes < 0)) {
    throw new WaspError("invalid_argument", "max file size must be a whole number of bytes");
  }
  if (maxOutputBytes > MAX_OUTPUT_CAP) {
    throw new WaspError(
      "invalid_argument",
      "max output cannot exceed 64mb per stream; have the guest write large results to a granted directory",
    );
  }
  const { maxStdinBytes } = limits;
  if (!Number.isSafeInteger(maxStdinBytes) || maxStdinBytes < 0) {
    throw new WaspError("invalid_argument", "max stdin must be a whole number of bytes, 0 or more");
  }
  if (maxStdinBytes > MAX_STDIN_CAP) {
    throw new WaspError(
      "invalid_argument",
      "max stdin cannot exceed 1gb; put large inputs in a granted directory instead",
    );
  }
  for (const key of Object.keys(LIMIT_MAXIMA) as (keyof Limits)[]) {
    const value = limits[key];
    if (value !== null && value > LIMIT_MAXIMA[key]) {
      throw new WaspError(
        "invalid_argument",
        `${FLAG[key]} ${value} is above its maximum of ${LIMIT_MAXIMA[key]}; use a smaller value`,
      );
    }
  }
  return limits;
}
