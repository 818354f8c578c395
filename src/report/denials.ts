/**
 * Legible denials: every refusal the host makes on the guest's behalf, with the call, the
 * guest path, the errno and a one-line reason naming the rule. Always on, capped.
 *
 * What is a denial: a refusal by policy or by a limit — a path outside every grant (`..`
 * climbing out, an absolute path, a symlink leading out), a change in a read-only grant or
 * below `read_only_within`, moving or removing a grant root, a symlink the rules refuse
 * (target leading out, `--symlinks deny`, the parent's broker), an object swapped between
 * check and use, `--max-file-size`, memory growth the cap refused, an import wasp does not
 * provide. What is not: ordinary errors inside a grant (ENOENT, EEXIST, ENOTEMPTY, EBADF…),
 * and rights a guest dropped on its own descriptors.
 *
 * What no host can record: the environment is handed over whole at the start (environ_get
 * returns exactly the granted keys), and a guest's getenv("KEY") is a lookup in that copy
 * inside the guest — no host call names the key, so an ungranted key leaves no trace. Likewise
 * wasi-libc resolves an absolute path against the preopened directories itself: open("/etc/x")
 * with no grant at or above /etc fails with ENOENT inside the guest without asking the host.
 * Only paths that reach the host (relative to a granted directory, or through openat) are seen.
 * @module
 */
import type { DirGrant } from "../policy.ts";
import { guestPathFrom, guestPathOf } from "./guest_paths.ts";
import type { Denial, DenialRule } from "./types.ts";

/** Most denials kept per run; later ones are only counted. */
export const MAX_DENIALS = 100;

/** Longest path or detail a denial carries (a guest may pass paths of any length). */
export const MAX_DENIAL_TEXT = 1024;

/** `text` cut to `max` characters, saying how long it was. */
export function clip(text: string, max = MAX_DENIAL_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length} characters)`;
}

/** What the host knew when it refused (see engine/wasi/denied.ts). */
export interface Refusal {
  rule: DenialRule;
  /** Host path of what was refused, or of the directory `path` is relative to. */
  host: string;
  /** The path as the guest wrote it, relative to `host` (when the refusal is about it). */
  path?: string;
  /** Extra words for the reason (a symlink's target, a limit). */
  detail?: string;
}

const REASONS: Record<DenialRule, string> = {
  outside_grant: "the path leads outside the granted directory it starts from",
  read_only_grant: "the path lies in a read-only grant",
  read_only_within: "the path lies below a directory that stays read-only (read_only_within)",
  grant_root: "a grant's root (or a directory holding one) cannot be moved or removed",
  symlink_escape: "a symlink there could lead outside its grant",
  symlinks_deny: "symlink creation is denied (--symlinks deny)",
  symlink_broker: "the parent's symlink broker refused it",
  identity_check: "an entry on the way changed between the check and the use",
  max_file_size: "the file would grow past --max-file-size",
  memory_cap: "the memory cap refused it",
  missing_import: "the module imports something wasp does not provide",
};

/** The denials of one run. */
export class DenialLog {
  readonly #dirs: readonly DirGrant[];
  readonly #kept: Denial[] = [];
  #dropped = 0;

  constructor(dirs: readonly DirGrant[]) {
    this.#dirs = dirs;
  }

  /** Records a refusal of the WASI call `call` that returned `errno`. */
  refused(call: string, errno: string, r: Refusal): void {
    const path = r.path === undefined
      ? guestPathOf(this.#dirs, r.host)
      : guestPathFrom(this.#dirs, r.host, r.path);
    const detail = r.detail === undefined ? undefined : clip(r.detail);
    this.add({ call, path: clip(path), errno, rule: r.rule, reason: reasonFor(r.rule, detail) });
  }

  /** Records a denial that is not a WASI call's errno (memory growth, imports). */
  add(denial: Denial): void {
    if (this.#kept.length < MAX_DENIALS) this.#kept.push(denial);
    else this.#dropped++;
  }

  /** The kept denials and how many more there were. */
  data(): { denials: Denial[]; denials_dropped: number } {
    return { denials: this.#kept, denials_dropped: this.#dropped };
  }
}

/** The one-line reason for `rule`, with `detail` when there is one. */
export function reasonFor(rule: DenialRule, detail?: string): string {
  return detail === undefined ? REASONS[rule] : `${REASONS[rule]} (${detail})`;
}

/** The denial of an import wasp does not provide (`module.name`), found at instantiation. */
export function importDenial(name: string): Denial {
  return {
    call: "instantiate",
    path: null,
    errno: null,
    rule: "missing_import",
    reason: reasonFor("missing_import", name),
  };
}

/** The denial of memory by the cap: at instantiation, or `memory.grow` inside the guest. */
export function memoryDenial(call: "instantiate" | "memory.grow", detail: string): Denial {
  return {
    call,
    path: null,
    errno: null,
    rule: "memory_cap",
    reason: reasonFor("memory_cap", detail),
  };
}
