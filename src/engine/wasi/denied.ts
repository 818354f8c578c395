/**
 * A refusal by policy: like any WasiError it becomes the call's errno, and the import wrapper
 * (host.ts) also records it as a denial (src/report/denials.ts). Thrown only where a rule
 * refuses, never for ordinary errors such as ENOENT inside a grant.
 * @module
 */
import type { Refusal } from "../../report/denials.ts";
import type { DenialRule } from "../../report/types.ts";
import { WasiError } from "./errno.ts";

/** A WasiError that says which rule refused and what it concerned. */
export class Denied extends WasiError {
  /** What the host knew when it refused. */
  readonly refusal: Refusal;
  constructor(errno: number, refusal: Refusal) {
    super(errno);
    this.refusal = refusal;
  }
}

/**
 * Refuses with `errno` under `rule`; `host` is the host path refused (or the directory a
 * guest-written `path` is relative to).
 */
export function deny(
  errno: number,
  rule: DenialRule,
  host: string,
  path?: string,
  detail?: string,
): never {
  throw new Denied(errno, { rule, host, path, detail });
}
