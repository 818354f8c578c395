/**
 * The kernel wall (Linux Landlock). The walled child (and each pool Worker) confines its own
 * thread to the run's grants before any guest code runs: libc is opened through FFI (the only
 * library the child may load), a ruleset is built from the grants, `no_new_privs` is set, the
 * thread restricts itself, and the library is closed and FFI revoked. From then on the kernel
 * refuses any file access outside the grants, whatever path (or swapped component) led there.
 * @module
 */

import { armBackstop, type Backstop, BACKSTOP_SYMBOLS } from "./backstop.ts";

/** Landlock filesystem access rights (uapi/linux/landlock.h). */
const FS = {
  EXECUTE: 1n << 0n,
  WRITE_FILE: 1n << 1n,
  READ_FILE: 1n << 2n,
  READ_DIR: 1n << 3n,
  REMOVE_DIR: 1n << 4n,
  REMOVE_FILE: 1n << 5n,
  MAKE_CHAR: 1n << 6n,
  MAKE_DIR: 1n << 7n,
  MAKE_REG: 1n << 8n,
  MAKE_SOCK: 1n << 9n,
  MAKE_FIFO: 1n << 10n,
  MAKE_BLOCK: 1n << 11n,
  MAKE_SYM: 1n << 12n,
  REFER: 1n << 13n,
  TRUNCATE: 1n << 14n,
  IOCTL_DEV: 1n << 15n,
} as const;

/** Every filesystem right each ABI version knows. */
function fsRightsOf(abi: number): bigint {
  let all = (1n << 13n) - 1n;
  if (abi >= 2) all |= FS.REFER;
  if (abi >= 3) all |= FS.TRUNCATE;
  if (abi >= 5) all |= FS.IOCTL_DEV;
  return all;
}

/** Rights of a read-only grant. */
const READ_ONLY = FS.READ_FILE | FS.READ_DIR;
/** Rights of a read-write grant: files and directories, never devices, FIFOs or sockets. */
const READ_WRITE = READ_ONLY | FS.WRITE_FILE | FS.REMOVE_DIR | FS.REMOVE_FILE | FS.MAKE_DIR |
  FS.MAKE_REG | FS.MAKE_SYM | FS.REFER | FS.TRUNCATE;
/** Rights that a rule on a single file (not a directory) may carry. */
const FILE_ONLY = FS.EXECUTE | FS.WRITE_FILE | FS.READ_FILE | FS.TRUNCATE | FS.IOCTL_DEV;

const SYS_CREATE_RULESET = 444n;
const SYS_ADD_RULE = 445n;
const SYS_RESTRICT_SELF = 446n;
const CREATE_RULESET_VERSION = 1;
const RULE_PATH_BENEATH = 1n;
const PR_SET_NO_NEW_PRIVS = 38;
const O_PATH = 0o10000000;
/** fstat(2)'s number; struct stat begins with st_dev, st_ino (u64 each) on both. */
const SYS_FSTAT = Deno.build.arch === "aarch64" ? 80n : 5n;
const O_CLOEXEC = 0o2000000;
/** LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL (ABI 6). */
const SCOPE_ALL = 3n;
/** LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP (ABI 4), with no rule: none. */
const NET_ALL = 3n;

/** One path the confined thread keeps: a directory tree or a single file. */
export interface KernelRule {
  path: string;
  access: "read-only" | "read-write";
}

/** What the kernel wall did for a run (reported in the envelope's policy). */
export type KernelWall =
  | { applied: true; abi: number }
  | { applied: false; reason: string };

// Buffers are passed as "buffer" parameters: pointer helpers (Deno.UnsafePointer) need an
// unscoped --allow-ffi, and the child's is scoped to libc. `syscall` is declared once per use.
const SYMBOLS = {
  landlock_abi: { name: "syscall", parameters: ["i64", "usize", "usize", "u32"], result: "i64" },
  landlock_create_ruleset: {
    name: "syscall",
    parameters: ["i64", "buffer", "usize", "u32"],
    result: "i64",
  },
  landlock_add_rule: {
    name: "syscall",
    parameters: ["i64", "i64", "i64", "buffer", "u32"],
    result: "i64",
  },
  landlock_restrict_self: { name: "syscall", parameters: ["i64", "i64", "u32"], result: "i64" },
  fstat_fd: { name: "syscall", parameters: ["i64", "i32", "buffer"], result: "i64" },
  open: { parameters: ["buffer", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  ...BACKSTOP_SYMBOLS,
} as const;

type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

function cString(s: string): Uint8Array<ArrayBuffer> {
  const bytes = new TextEncoder().encode(s);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

/** Builds the ruleset and restricts the calling thread; returns the ABI used. */
function restrict(libc: Libc, rules: KernelRule[], ids: string[]): number {
  const abi = Number(libc.landlock_abi(SYS_CREATE_RULESET, 0n, 0n, CREATE_RULESET_VERSION));
  if (abi < 1) throw new Error("the kernel offers no Landlock (disabled or too old)");
  const handled = fsRightsOf(abi);
  const attr = new BigUint64Array([handled, abi >= 4 ? NET_ALL : 0n, abi >= 6 ? SCOPE_ALL : 0n]);
  const attrSize = abi >= 6 ? 24 : abi >= 4 ? 16 : 8;
  const rulesetFd = libc.landlock_create_ruleset(SYS_CREATE_RULESET, attr, BigInt(attrSize), 0);
  if (rulesetFd < 0n) throw new Error("landlock_create_ruleset failed");
  try {
    for (const rule of rules) ids.push(addRule(libc, rulesetFd, rule, handled));
    if (libc.prctl(PR_SET_NO_NEW_PRIVS, 1n, 0n, 0n, 0n) !== 0) {
      throw new Error("prctl(PR_SET_NO_NEW_PRIVS) failed");
    }
    if (libc.landlock_restrict_self(SYS_RESTRICT_SELF, rulesetFd, 0) !== 0n) {
      throw new Error("landlock_restrict_self failed");
    }
  } finally {
    libc.close(Number(rulesetFd));
  }
  return abi;
}

/** Adds `rule`; returns "dev:ino" of the object the rule was put on (from its fd). */
function addRule(libc: Libc, rulesetFd: bigint, rule: KernelRule, handled: bigint): string {
  const fd = libc.open(cString(rule.path), O_PATH | O_CLOEXEC);
  if (fd < 0) throw new Error(`cannot open ${rule.path} for a Landlock rule`);
  try {
    const st = new Uint8Array(256);
    if (libc.fstat_fd(SYS_FSTAT, fd, st) !== 0n) throw new Error(`cannot fstat ${rule.path}`);
    const view = new DataView(st.buffer);
    const id = `${view.getBigUint64(0, true)}:${view.getBigUint64(8, true)}`;
    const allowed = (rule.access === "read-write" ? READ_WRITE : READ_ONLY) & handled;
    // A rule on a file may carry file rights only (EINVAL otherwise). Whether the path is a
    // file is not asked of Deno: its permissions need not cover the path (a package the
    // kernel wall lets through, for one) — the kernel's answer decides.
    if (!addPathRule(libc, rulesetFd, fd, allowed)) {
      if (!addPathRule(libc, rulesetFd, fd, allowed & FILE_ONLY)) {
        throw new Error(`landlock_add_rule for ${rule.path} failed`);
      }
    }
    return id;
  } finally {
    libc.close(fd);
  }
}

function addPathRule(libc: Libc, rulesetFd: bigint, fd: number, allowed: bigint): boolean {
  // struct landlock_path_beneath_attr is packed: u64 allowed_access, s32 parent_fd
  const buf = new Uint8Array(12);
  const view = new DataView(buf.buffer);
  view.setBigUint64(0, allowed, true);
  view.setInt32(8, fd, true);
  return libc.landlock_add_rule(SYS_ADD_RULE, rulesetFd, RULE_PATH_BENEATH, buf, 0) === 0n;
}

/** What the kernel backstop is to arm (see backstop.ts), for a walled child. */
export interface BackstopPlan {
  parentPid: number;
  cpuSeconds: number | null;
}

/** What `applyKernelWall` put up. */
export interface KernelSetUp {
  kernel: KernelWall;
  /** "dev:ino" of what each rule was put on, in order (empty when no wall went up). */
  ruleIds: string[];
  backstop: Backstop;
}

/**
 * Arms the backstop (when asked), confines the calling thread to `rules` with Landlock, then
 * closes libc and revokes FFI. Never throws: when the kernel (or the permissions) cannot do
 * something, says so.
 */
export function applyKernelWall(
  libcPath: string,
  rules: KernelRule[],
  backstop: BackstopPlan | null = null,
): KernelSetUp {
  let lib: Deno.DynamicLibrary<typeof SYMBOLS> | null = null;
  let kernel: KernelWall;
  let armed: Backstop = { parentDeathSignal: false, cpuSeconds: null };
  const ruleIds: string[] = [];
  try {
    lib = Deno.dlopen(libcPath, SYMBOLS);
    if (backstop) armed = armBackstop(lib.symbols, backstop.parentPid, backstop.cpuSeconds);
    kernel = { applied: true, abi: restrict(lib.symbols, rules, ruleIds) };
  } catch (err) {
    kernel = { applied: false, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    lib?.close();
    revokeFfi();
  }
  return { kernel, backstop: armed, ruleIds: kernel.applied ? ruleIds : [] };
}

/** Drops this thread's FFI permission for good. */
export function revokeFfi(): void {
  try {
    Deno.permissions.revokeSync({ name: "ffi" });
  } catch {
    // no permission API here: nothing to revoke
  }
}

/** Where Linux distributions keep the C library (glibc, then musl). */
const LIBC_CANDIDATES = [
  `/lib/${Deno.build.arch}-linux-gnu/libc.so.6`,
  `/usr/lib/${Deno.build.arch}-linux-gnu/libc.so.6`,
  "/lib64/libc.so.6",
  "/usr/lib64/libc.so.6",
  "/lib/libc.so.6",
  "/usr/lib/libc.so.6",
  `/lib/ld-musl-${Deno.build.arch}.so.1`,
];

/**
 * The C library to reach Landlock through (the one `--allow-ffi` is scoped to), as a
 * canonical path; null where there is none (not Linux, an unusual layout). Reading
 * /proc/self/maps would need --allow-all, so the usual places are tried.
 */
export function findLibc(): string | null {
  if (Deno.build.os !== "linux") return null;
  for (const candidate of LIBC_CANDIDATES) {
    try {
      return Deno.realPathSync(candidate);
    } catch {
      // not here
    }
  }
  return null;
}
