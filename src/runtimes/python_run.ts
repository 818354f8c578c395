/**
 * `runPython()`: a Python program (code, a script file, or a program read from stdin) run by
 * the pinned CPython WASI build under exactly the policy, walls and envelope of `run()`.
 * @module
 */
import { type Envelope, envelopeFromError, WaspError } from "../envelope.ts";
import { absolute, buildPolicy, type PolicyInput, workingDirectory } from "../policy.ts";
import { type RunOptions, runPolicy } from "../run.ts";
import { checkPythonHash, pythonModulePath, pythonRuntimeSummary } from "./python_runtime.ts";
import { copyScript, SCRIPT_GUEST_DIR } from "./python_script.ts";

/**
 * A Python run: the fields of PolicyInput but the module (always the pinned runtime) and
 * the engine (always wasp's own), and exactly one of `code` and `script`.
 */
export interface PythonInput extends Omit<PolicyInput, "module" | "displayName" | "engine"> {
  /** Program text, run as `python -c CODE` (sys.argv[0] is "-c"). */
  code?: string;
  /**
   * A script file on the host, which the guest sees read-only as /script/NAME and nothing
   * else of its directory; or "-": the program is read from the guest's stdin.
   */
  script?: string;
}

const REFUSED_FIELDS = ["module", "displayName", "engine"];

function refuse(problem: string): never {
  throw new WaspError("invalid_argument", `python input: ${problem}`);
}

/** The PolicyInput of a Python run, and the scratch directory holding a script's copy. */
async function pythonPolicyInput(
  untrusted: unknown,
): Promise<{ input: PolicyInput; scratch: string | null }> {
  if (typeof untrusted !== "object" || untrusted === null || Array.isArray(untrusted)) {
    refuse("must be an object");
  }
  const { code, script, ...rest } = untrusted as Record<string, unknown>;
  for (const field of REFUSED_FIELDS) {
    if (rest[field] !== undefined) {
      refuse(
        field === "engine"
          ? "engine is not a field: Python always runs on the wasp engine"
          : `${field} is not a field: the module is the pinned Python runtime`,
      );
    }
  }
  if ((code === undefined) === (script === undefined)) {
    refuse('give exactly one of code (program text) and script (a file, or "-" for stdin)');
  }
  const guestArgs = rest.args === undefined ? [] : rest.args;
  if (!Array.isArray(guestArgs)) refuse("args must be an array");
  const module = await pythonModulePath();
  const base: PolicyInput = { ...(rest as Omit<PolicyInput, "module">), module };
  if (code !== undefined) {
    if (typeof code !== "string") refuse("code must be a string");
    return {
      input: { ...base, displayName: "python", args: ["-c", code, ...guestArgs] },
      scratch: null,
    };
  }
  if (typeof script !== "string" || script === "") refuse("script must be a non-empty string");
  if (script === "-") {
    return { input: { ...base, displayName: "python", args: ["-", ...guestArgs] }, scratch: null };
  }
  const baseDir = typeof rest.baseDir === "string" ? rest.baseDir : workingDirectory;
  const copy = await copyScript(absolute(script, baseDir), script);
  const dirs = Array.isArray(rest.dirs) ? rest.dirs : [];
  return {
    input: {
      ...base,
      displayName: "python",
      args: [copy.guestPath, ...guestArgs],
      dirs: [...dirs, { host: copy.dir, guest: SCRIPT_GUEST_DIR, access: "read-only" }],
    },
    scratch: copy.dir,
  };
}

/** Adds `policy.runtime` (name, version, SHA-256 of the module) to a Python run's envelope. */
function withRuntime(envelope: Envelope): Envelope {
  if (envelope.policy !== null) {
    envelope.policy.runtime = pythonRuntimeSummary(envelope.policy.module_sha256);
  }
  return envelope;
}

/**
 * Checks `input`, runs the Python program behind all walls and returns the envelope, whose
 * policy names the runtime. Never throws.
 */
export async function runPython(input: PythonInput, options: RunOptions = {}): Promise<Envelope> {
  const startedAt = options.startedAt ?? performance.now();
  let scratch: string | null = null;
  try {
    const prepared = await pythonPolicyInput(input);
    scratch = prepared.scratch;
    const policy = buildPolicy(prepared.input);
    checkPythonHash(policy.moduleSha256, policy.modulePath);
    return withRuntime(await runPolicy(policy, { ...options, startedAt }));
  } catch (err) {
    return envelopeFromError(err, null, startedAt);
  } finally {
    if (scratch !== null) await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}
