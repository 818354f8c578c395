/**
 * The shapes of a run's report: denials (always), the host-call trace (`--trace`) and the
 * change report (`--changes`), as they travel from the walled child to the envelope.
 * @module
 */

/** Which optional parts of the report a run asked for (denials are always recorded). */
export interface ReportWanted {
  /** Record every host call (`--trace`). */
  trace: boolean;
  /** Record what the run changed in read-write grants (`--changes`). */
  changes: boolean;
}

/** The rule behind a denial, a stable identifier (the `reason` says it in words). */
export type DenialRule =
  | "outside_grant"
  | "read_only_grant"
  | "read_only_within"
  | "grant_root"
  | "symlink_escape"
  | "symlinks_deny"
  | "symlink_broker"
  | "identity_check"
  | "max_file_size"
  | "memory_cap"
  | "missing_import";

/** One refusal the host made on the guest's behalf. */
export interface Denial {
  /** The WASI function (`path_open`), or `memory.grow` / `instantiate` outside WASI calls. */
  call: string;
  /** The path as the guest sees it, or null when the refusal concerns no path. */
  path: string | null;
  /** The errno the guest got (`ENOTCAPABLE`), or null when no errno is involved. */
  errno: string | null;
  rule: DenialRule;
  /** One line naming the rule. */
  reason: string;
}

/** One host call, as `--trace` records it. */
export interface TraceEntry {
  /** The call's number in the run (0 is the first host call), so gaps show what was dropped. */
  seq: number;
  call: string;
  /** The arguments, paths decoded from guest memory (`3, "data/in.txt", 0x1`). */
  args: string;
  /** `ok`, the errno name (`ENOENT`), or `exit`/`stop` when the call ended the guest. */
  result: string;
  /** Time spent in the host, in microseconds. */
  us: number;
}

/** What kind of entry a change concerns. */
export type EntryType = "file" | "dir" | "symlink";

/** One change the run made in a read-write grant. */
export interface Change {
  kind: "created" | "modified" | "deleted" | "renamed";
  /** The entry's host path. */
  host: string;
  /** The entry's path as the guest sees it. */
  guest: string;
  type: EntryType;
  /** For `renamed`: where it came from; for a hard link (`created`): the file it links. */
  from?: { host: string; guest: string };
  /** Size in bytes of a regular file that exists at the end. */
  size?: number;
  /** SHA-256 (hex) of a regular file that exists at the end. */
  sha256?: string;
  /** Target of a symlink that exists at the end. */
  target?: string;
}

/** The report as it leaves the walled child (in the RESULT frame). */
export interface ReportData {
  denials: Denial[];
  denials_dropped: number;
  trace?: TraceEntry[];
  trace_dropped?: number;
  changes?: Change[];
  changes_dropped?: number;
}
