/**
 * The second engine: the Wasmer JS SDK. Grants are copied into the SDK's virtual filesystem
 * (under /workspace) before the run and read-write ones are synced back afterwards, all or
 * nothing, through pinned directories under the tree lock (wasmer_tree.ts, wasmer_sync.ts);
 * the guest itself never touches the host. Runs inside the same walled child as wasp's
 * engine and accepts the same imports (wasm_imports.ts).
 * @module
 */
import { loadWasmer } from "../deps.ts";
import type { WasmerPackage, WasmerSandbox } from "./wasmer_sdk.ts";
import type { Engine, EngineIo, EngineRequest, Outcome } from "./mod.ts";
import { importDenial } from "../report/denials.ts";
import { refusedPlan } from "./wasm_memory.ts";
import { StopGuest } from "./mod.ts";
import { capMemory } from "./wasm_memory.ts";
import { foreignImport, wrongWasiImport } from "./wasm_imports.ts";
import { syncBack, type SyncResult } from "./wasmer_sync.ts";
import {
  copyIn,
  type GrantSnapshot,
  sandboxDirs,
  sandboxFiles,
  SyncRefused,
} from "./wasmer_tree.ts";

type Sandbox = WasmerSandbox;
type Package = WasmerPackage;

function failure(
  errorKind: "invalid_module" | "policy_error",
  message: string,
): Outcome {
  return { kind: "failure", errorKind, message, exitCode: null };
}

function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}

/** Classifies an SDK error: a guest trap, a bad module, or something internal (rethrown). */
function sdkOutcome(err: unknown, moduleName: string): Outcome {
  if (err instanceof StopGuest) return err.outcome;
  const text = err instanceof Error ? err.message : String(err);
  const trap = /RuntimeError: (?:js: )?([^\n]+)/.exec(text);
  if (trap) return { kind: "trap", message: trap[1] };
  const code = (err as { code?: string }).code;
  if (
    code === "INVALID_PACKAGE_SOURCE" || code === "PACKAGE_HAS_NO_ENTRYPOINT" ||
    code === "PACKAGE_LOAD_FAILED"
  ) {
    return failure(
      "invalid_module",
      `module ${moduleName} cannot be run by the wasmer engine: ${messageOf(err)}`,
    );
  }
  throw err;
}

/**
 * The SDK names commands with [A-Za-z0-9._+-] only, and the command name is the guest's
 * argv[0]: use the module's file name, cleaned, so argv[0] stays recognisable.
 */
function commandName(moduleName: string): string {
  const base = moduleName.slice(moduleName.lastIndexOf("/") + 1).replace(/[^A-Za-z0-9._+-]/g, "_");
  return base === "" || base === "." || base === ".." ? "main" : base;
}

async function pump(
  stream: AsyncIterable<Uint8Array> | null,
  fd: 1 | 2,
  io: EngineIo,
): Promise<void> {
  if (!stream) return;
  for await (const chunk of stream) io.output(fd, chunk);
}

/** The Wasmer SDK engine. */
export const wasmerEngine: Engine = {
  async run(request: EngineRequest, io: EngineIo): Promise<Outcome> {
    const cap = request.limits.maxMemoryBytes;
    const plan = capMemory(request.module, cap, request.moduleName);
    if (!plan.ok) return refusedPlan(plan.outcome, cap, io);
    const wrongImport = wrongWasiImport(plan.bytes, request.moduleName);
    if (wrongImport !== null) return failure("invalid_module", wrongImport);
    const refused = await checkImports(plan.bytes, request.moduleName);
    if (refused) {
      const name = / imports (\S+), which wasp does not provide/.exec(refused)?.[1];
      if (name !== undefined) io.report?.denials.add(importDenial(name));
      return failure("invalid_module", refused);
    }
    let snaps: GrantSnapshot[];
    try {
      snaps = io.shared(() => copyIn(request.dirs, request.limits));
    } catch (err) {
      if (err instanceof SyncRefused) return failure("policy_error", err.message);
      throw err;
    }
    const { Wasmer } = await loadWasmer();
    const wasmer = new Wasmer({ cache: false });
    try {
      let pkg;
      try {
        pkg = await wasmer.packages.create({
          modules: { guest: plan.bytes },
          commands: { [commandName(request.moduleName)]: { module: "guest" } },
        });
      } catch (err) {
        return sdkOutcome(err, request.moduleName);
      }
      const sandbox = await wasmer.sandboxes.create({
        packages: [pkg],
        files: sandboxFiles(snaps),
      });
      try {
        for (const d of sandboxDirs(snaps)) await sandbox.fs.mkdir(d, { recursive: true });
        const outcome = await runCommand(sandbox, pkg, request, io);
        if (outcome.kind !== "failure" || outcome.errorKind === "output_limit") {
          return afterSync(outcome, await syncBack(sandbox.fs, snaps, request.limits, io));
        }
        return outcome;
      } finally {
        await sandbox.close().catch(() => {});
      }
    } finally {
      // Not awaited: after a killed guest the SDK's close() can wait forever, and the walled
      // child exits as soon as it has reported, which ends the SDK's workers anyway.
      wasmer.close().catch(() => {});
    }
  },
};

/** Refuses a module with imports the default engine would refuse (wasi-threads, WASIX). */
async function checkImports(bytes: Uint8Array, moduleName: string): Promise<string | null> {
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes as BufferSource);
  } catch (err) {
    return `module ${moduleName} is not valid WebAssembly: ${messageOf(err)}`;
  }
  return foreignImport(module, moduleName);
}

/** The run's outcome once the sync-back is known. */
function afterSync(outcome: Outcome, sync: SyncResult): Outcome {
  const exitCode = outcome.kind === "exit" ? outcome.code : null;
  switch (sync.kind) {
    case "synced":
    case "stopped": // the parent reports the timeout or cancellation itself
      return outcome;
    case "refused": {
      const message = sync.message.includes("nothing was synced")
        ? sync.message
        : `${sync.message}; nothing was synced back`;
      return { kind: "failure", errorKind: "policy_error", message, exitCode };
    }
    case "partial":
      return {
        kind: "failure",
        errorKind: "policy_error",
        message:
          `the sandbox was synced back except ${sync.failed.length} path(s) the host refused: ${
            sync.failed.slice(0, 5).join(", ")
          }${sync.failed.length > 5 ? ", ..." : ""}; check them`,
        exitCode,
      };
  }
}

async function runCommand(
  sandbox: Sandbox,
  pkg: Package,
  request: EngineRequest,
  io: EngineIo,
): Promise<Outcome> {
  const env = Object.fromEntries(request.env);
  let proc;
  try {
    proc = await sandbox.command(pkg, request.args, { env, cwd: "/workspace" })
      .spawn({ stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  } catch (err) {
    return sdkOutcome(err, request.moduleName);
  }
  try {
    if (proc.stdin) {
      if (request.stdin.length > 0) await proc.stdin.write(request.stdin);
      await proc.stdin.close();
    }
    await Promise.all([pump(proc.stdout, 1, io), pump(proc.stderr, 2, io)]);
    const res = await proc.wait();
    if (res.reason === "exited") return { kind: "exit", code: res.exitCode };
    return { kind: "trap", message: `the wasmer runtime ended the guest (${res.reason})` };
  } catch (err) {
    if (err instanceof StopGuest) await proc.kill().catch(() => {});
    return sdkOutcome(err, request.moduleName);
  }
}
