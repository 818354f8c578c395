/**
 * File times for the set_times calls and filestat, in nanoseconds.
 *
 * Deno reads and writes file times in milliseconds only (`Deno.utimeSync`, `FsFile.utimeSync`
 * and `node:fs` `lutimesSync` truncate to the millisecond; `Deno.FileInfo` holds `Date`s).
 * WASI timestamps are nanoseconds, and wasmtime round-trips them. So wasp remembers the exact
 * value a guest set, per file (dev + ino) and per field, together with the millisecond value
 * the host then held; filestat reports the remembered nanoseconds for as long as the host
 * still holds that millisecond value, and the host's value (whole milliseconds) afterwards.
 * Times set by anyone else are reported at millisecond precision.
 * @module
 */
import { E, FSTFLAGS } from "./constants.ts";
import { fail } from "./errno.ts";

/** One field of a set_times call: keep it, set it to now, or set it to a timestamp. */
export type TimeChange = "keep" | "now" | bigint;

/** What a set_times call asks for, decoded from its fstflags. */
export interface TimesRequest {
  atime: TimeChange;
  mtime: TimeChange;
}

/** Decodes the timestamps and fstflags of fd_/path_filestat_set_times (EINVAL when both a
 * value and NOW are asked for one field, or for undefined flag bits). */
export function decodeTimes(atim: bigint, mtim: bigint, flags: number): TimesRequest {
  if (flags & ~15) fail(E.INVAL);
  const field = (set: number, now: number, value: bigint): TimeChange => {
    if (flags & set && flags & now) fail(E.INVAL);
    if (flags & now) return "now";
    if (flags & set) return BigInt.asUintN(64, value);
    return "keep";
  };
  return {
    atime: field(FSTFLAGS.ATIM, FSTFLAGS.ATIM_NOW, atim),
    mtime: field(FSTFLAGS.MTIM, FSTFLAGS.MTIM_NOW, mtim),
  };
}

interface Remembered {
  ns: bigint;
  hostMs: number;
}

type Field = "atime" | "mtime";

/** Nanoseconds since the epoch for a host timestamp (0 when unknown). */
export function nanos(d: Date | null): bigint {
  return d ? BigInt(d.getTime()) * 1_000_000n : 0n;
}

function keyOf(st: Deno.FileInfo): string {
  return `${st.dev}:${st.ino}`;
}

/** The exact times a guest set, remembered while the host still holds what wasp wrote. */
export class NsTimes {
  readonly #files = new Map<string, Partial<Record<Field, Remembered>>>();

  /** The time to report for `field` of the file `st` describes, in nanoseconds. */
  report(st: Deno.FileInfo, field: Field): bigint {
    const host = st[field];
    const known = this.#files.get(keyOf(st))?.[field];
    if (known && host && host.getTime() === known.hostMs) return known.ns;
    return nanos(host);
  }

  /**
   * Applies `req` to a file: `current` stats it, `write` sets both times (seconds, as Deno
   * takes them), and the file is stat-ed again to remember what the host now holds.
   */
  apply(req: TimesRequest, current: () => Deno.FileInfo, write: (a: number, m: number) => void) {
    const before = current();
    const nowMs = Date.now();
    const target = (field: Field): { ms: number; ns: bigint | null } => {
      const change = req[field];
      if (change === "now") return { ms: nowMs, ns: null };
      if (change === "keep") return { ms: before[field]?.getTime() ?? 0, ns: null };
      return { ms: Number(change / 1_000_000n), ns: change };
    };
    const a = target("atime");
    const m = target("mtime");
    write(a.ms / 1000, m.ms / 1000);
    const after = current();
    const entry = this.#files.get(keyOf(after)) ?? {};
    for (const [field, t] of [["atime", a], ["mtime", m]] as const) {
      const hostMs = after[field]?.getTime();
      if (t.ns !== null && hostMs !== undefined) entry[field] = { ns: t.ns, hostMs };
      else if (req[field] !== "keep") delete entry[field];
    }
    this.#files.set(keyOf(after), entry);
  }
}
