/**
 * The default engine: wasp's own WASI preview1 host, running the guest synchronously on
 * the walled child's main thread.
 * @module
 */
import type { Engine, EngineIo, EngineRequest, Outcome } from "./mod.ts";
import { StopGuest } from "./mod.ts";
import { capMemory, type ImportedMemory, PAGE, refusedPlan } from "./wasm_memory.ts";
import { WASI_MODULE as WASI, wrongWasiImport } from "./wasm_imports.ts";
import { countGrowRefusals, REFUSALS_EXPORT } from "./wasm_grow_hook.ts";
import { ExitSignal, WasiHost } from "./wasi/host.ts";
import type { DenialLog } from "../report/denials.ts";
import { importDenial, memoryDenial } from "../report/denials.ts";

function refuse(message: string): Outcome {
  return { kind: "failure", errorKind: "invalid_module", message, exitCode: null };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}

/** Classifies an exception that escaped the guest. */
export function outcomeOfThrow(err: unknown): Outcome {
  if (err instanceof ExitSignal) return { kind: "exit", code: err.code };
  if (err instanceof StopGuest) return err.outcome;
  if (err instanceof WebAssembly.RuntimeError) return { kind: "trap", message: firstLine(err) };
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return { kind: "trap", message: "call stack exhausted" };
  }
  throw err;
}

/**
 * Reports a failed guest as `memory_limit` when the cap refused it memory: `refusals` counts
 * the refused `memory.grow`s (null when the module could not be instrumented; then a guest
 * whose memory reached the cap counts as refused).
 */
function memoryVerdict(
  outcome: Outcome,
  refusals: number | null,
  used: number,
  cap: number,
): Outcome {
  const failed = outcome.kind === "trap" || (outcome.kind === "exit" && outcome.code !== 0);
  const refused = refusals !== null ? refusals > 0 : used + 8 * PAGE >= cap * 0.9;
  if (!failed || !refused) return outcome;
  return {
    kind: "failure",
    errorKind: "memory_limit",
    message: `the guest failed after the memory cap of ${cap} bytes refused it memory (${
      outcome.kind === "trap" ? `trap: ${outcome.message}` : `exit code ${outcome.code}`
    }); raise --max-memory if it needs more`,
    exitCode: outcome.kind === "exit" ? outcome.code : null,
  };
}

/** Records the `memory.grow`s the cap refused as one denial (they happen inside the guest). */
function growRefused(denials: DenialLog, refusals: number, cap: number): void {
  const what = `${refusals} memory.grow request${refusals === 1 ? "" : "s"} past ${cap} bytes`;
  denials.add(memoryDenial("memory.grow", what));
}

/** A host-created memory with the limits the cap assigned to an imported one. */
function importedMemoryFor(m: ImportedMemory): WebAssembly.Memory {
  const descriptor = m.is64
    ? { initial: BigInt(m.minPages), maximum: BigInt(m.maxPages), address: "i64" }
    : { initial: m.minPages, maximum: m.maxPages };
  return new WebAssembly.Memory(
    { ...descriptor, shared: m.shared } as WebAssembly.MemoryDescriptor,
  );
}

/** wasp's own engine. */
export const waspEngine: Engine = {
  run(request: EngineRequest, io: EngineIo): Promise<Outcome> {
    return Promise.resolve(runSync(request, io));
  },
};

function runSync(request: EngineRequest, io: EngineIo): Outcome {
  const cap = request.limits.maxMemoryBytes;
  const prepared = prepareModule(request.module, cap, request.moduleName);
  return "kind" in prepared ? refusedPlan(prepared, cap, io) : runPrepared(prepared, request, io);
}

/**
 * A module compiled for one memory cap: what `prepareModule` makes once and `runPrepared`
 * instantiates (a pool compiles once per content hash and cap, and hands it to its Workers).
 */
export interface PreparedModule {
  /** The capped (and, when possible, grow-counted) module. */
  module: WebAssembly.Module;
  /** Imported memories the host creates, with the limits the cap assigned. */
  imported: ImportedMemory[];
  /** Whether `module` exports the refusal counter. */
  counted: boolean;
}

/** The bytes to compile: the grow-counted ones, and the capped ones should those fail. */
interface Candidates {
  hooked: Uint8Array;
  /** Whether `hooked` exports the refusal counter (it may be `plain` unchanged). */
  counted: boolean;
  plain: Uint8Array;
  imported: ImportedMemory[];
}

function candidates(bytes: Uint8Array, cap: number, name: string): Candidates | Outcome {
  const plan = capMemory(bytes, cap, name);
  if (!plan.ok) return plan.outcome;
  const hooked = countGrowRefusals(plan.bytes);
  return {
    hooked: hooked.bytes,
    counted: hooked.counted,
    plain: plan.bytes,
    imported: plan.imported,
  };
}

/** Caps, instruments, compiles and checks a module's bytes, or says why it cannot run. */
export function prepareModule(
  bytes: Uint8Array,
  cap: number,
  name: string,
): PreparedModule | Outcome {
  const c = candidates(bytes, cap, name);
  if ("kind" in c) return c;
  let module: WebAssembly.Module;
  let counted = c.counted;
  try {
    module = new WebAssembly.Module(c.hooked as BufferSource);
  } catch (err) {
    try {
      // never let the refusal counter be why a module is refused: run it uncounted
      module = new WebAssembly.Module(c.plain as BufferSource);
      counted = false;
    } catch {
      return refuse(`module ${name} is not valid WebAssembly: ${firstLine(err)}`);
    }
  }
  return checkPrepared(module, c, counted, name);
}

/**
 * `prepareModule`, compiling off the calling thread (WebAssembly.compile): a server's other
 * runs (their timeouts, their answers) go on while a large module compiles.
 */
export async function prepareModuleAsync(
  bytes: Uint8Array,
  cap: number,
  name: string,
): Promise<PreparedModule | Outcome> {
  const c = candidates(bytes, cap, name);
  if ("kind" in c) return c;
  let module: WebAssembly.Module;
  let counted = c.counted;
  try {
    module = await WebAssembly.compile(c.hooked as BufferSource);
  } catch (err) {
    try {
      module = await WebAssembly.compile(c.plain as BufferSource);
      counted = false;
    } catch {
      return refuse(`module ${name} is not valid WebAssembly: ${firstLine(err)}`);
    }
  }
  return checkPrepared(module, c, counted, name);
}

function checkPrepared(
  module: WebAssembly.Module,
  { plain, imported }: Candidates,
  counted: boolean,
  name: string,
): PreparedModule | Outcome {
  const wrongImport = wrongWasiImport(plain, name);
  if (wrongImport !== null) return refuse(wrongImport);
  const start = WebAssembly.Module.exports(module).find((e) => e.name === "_start");
  if (!start || start.kind !== "function") {
    return refuse(
      `module ${name} has no _start function; build it as a WASI command (not a reactor or library)`,
    );
  }
  return { module, imported, counted };
}

/** Instantiates a prepared module with a fresh WASI host and runs its `_start`. */
export function runPrepared(
  prepared: PreparedModule,
  request: EngineRequest,
  io: EngineIo,
): Outcome {
  const cap = request.limits.maxMemoryBytes;
  const { module } = prepared;
  const plan = { imported: prepared.imported };
  const hooked = { counted: prepared.counted };
  const host = new WasiHost(request, io);
  const imports: WebAssembly.Imports = { [WASI]: host.imports };
  let importedMemory: WebAssembly.Memory | null = null;
  for (const imp of WebAssembly.Module.imports(module)) {
    const planned = plan.imported.find((m) => m.module === imp.module && m.name === imp.name);
    if (imp.kind === "memory" && planned) {
      let memory: WebAssembly.Memory;
      try {
        memory = importedMemoryFor(planned);
      } catch (err) {
        return refuse(
          `module ${request.moduleName} imports a memory wasp cannot create: ${firstLine(err)}`,
        );
      }
      importedMemory ??= memory;
      imports[imp.module] = { ...(imports[imp.module] ?? {}), [imp.name]: memory };
    } else if (imp.module !== WASI || !(imp.name in host.imports)) {
      host.context.report.denials.add(importDenial(`${imp.module}.${imp.name}`));
      return refuse(
        `module ${request.moduleName} imports ${imp.module}.${imp.name}, which wasp does not provide; wasp offers only ${WASI}`,
      );
    }
  }
  let outcome: Outcome;
  let memory: WebAssembly.Memory | null = importedMemory;
  let counter: WebAssembly.Global | null = null;
  try {
    const instance = new WebAssembly.Instance(module, imports);
    const refusals = instance.exports[REFUSALS_EXPORT];
    if (hooked.counted && refusals instanceof WebAssembly.Global) counter = refusals;
    const exported = instance.exports.memory;
    if (exported instanceof WebAssembly.Memory) memory = exported;
    if (!memory) return refuse(`module ${request.moduleName} does not export its memory`);
    host.context.memory.attach(memory);
    try {
      (instance.exports._start as () => void)();
      outcome = { kind: "exit", code: 0 };
    } catch (err) {
      outcome = outcomeOfThrow(err);
    }
  } catch (err) {
    if (err instanceof WebAssembly.LinkError) {
      return refuse(`module ${request.moduleName} cannot be linked: ${firstLine(err)}`);
    }
    outcome = outcomeOfThrow(err);
  } finally {
    host.dispose();
  }
  const refusals = counter !== null ? Number(counter.value) : hooked.counted ? 0 : null;
  if (refusals !== null && refusals > 0) growRefused(host.context.report.denials, refusals, cap);
  return memoryVerdict(outcome, refusals, memory?.buffer.byteLength ?? 0, cap);
}
