/**
 * A WASI host in the test process itself, without a walled child or a parent: for tests that
 * call the import functions directly.
 * @module
 */
import type { EngineIo, EngineRequest } from "../../src/engine/mod.ts";
import { WasiHost } from "../../src/engine/wasi/host.ts";
import { DEFAULT_LIMITS } from "../../src/limits.ts";
import type { DirGrant } from "../../src/policy.ts";

/** An EngineIo with no parent: output is dropped, brokered calls fail, no tree lock. */
export const NO_PARENT: EngineIo = {
  output() {},
  symlink: () => "ENOTSUP",
  lutimes: () => "ENOTSUP",
  exclusive: (fn) => fn(),
  shared: (fn) => fn(),
  beginSync: () => true,
};

/** An engine request for `dirs` with no module, arguments, environment or stdin. */
export function testRequest(dirs: DirGrant[], extra: Partial<EngineRequest> = {}): EngineRequest {
  return {
    modulePath: "/dev/null",
    module: new Uint8Array(0),
    moduleName: "test",
    args: [],
    env: [],
    dirs,
    limits: DEFAULT_LIMITS,
    stdin: new Uint8Array(0),
    symlinks: "inside",
    treeLock: null,
    readOnlyPaths: [],
    ...extra,
  };
}

/** A host for `dirs` attached to a fresh one-page memory. */
export function testHost(dirs: DirGrant[], extra: Partial<EngineRequest> = {}) {
  const host = new WasiHost(testRequest(dirs, extra), NO_PARENT);
  const memory = new WebAssembly.Memory({ initial: 1 });
  host.context.memory.attach(memory);
  return { host, memory };
}
