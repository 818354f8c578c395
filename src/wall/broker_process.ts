/**
 * The broker process: a small process the parent starts at a run's first brokered request
 * (symlink, lutimes) when the kernel wall is available. It has the unscoped read and write
 * permissions Deno's `symlink` demands, but before it serves anything it confines itself with
 * Landlock to the run's read-write grants, so that whatever path a racing host process swaps
 * under it, the kernel refuses to create anything elsewhere. It speaks JSON lines: a config
 * line first, then one request per line, one response per line.
 * @module
 */
import type { DirGrant, SymlinkMode } from "../policy.ts";
import { type BrokerPolicy, handleBrokerRequest } from "./broker.ts";
import { applyKernelWall } from "./landlock.ts";
import type { BrokerRequest } from "./protocol.ts";

/** The first line the parent sends. */
export interface BrokerConfig {
  libc: string;
  dirs: DirGrant[];
  symlinks: SymlinkMode;
}

/** Longest request line accepted (a request carries at most two paths of PATH_MAX). */
const MAX_LINE = 64 * 1024;

async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of stream) {
    pending += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = pending.indexOf("\n")) >= 0) {
      yield pending.slice(0, nl);
      pending = pending.slice(nl + 1);
    }
    if (pending.length > MAX_LINE) return;
  }
}

/** Serves broker requests from stdin until it closes. */
export async function serveBroker(): Promise<void> {
  const input = lines(Deno.stdin.readable);
  const first = await input.next();
  if (first.done) return;
  const config = JSON.parse(first.value) as BrokerConfig;
  const policy: BrokerPolicy = { dirs: config.dirs, symlinks: config.symlinks };
  const rules = config.dirs.filter((d) => d.access === "read-write")
    .map((d) => ({ path: d.host, access: d.access }));
  const { kernel: wall } = applyKernelWall(config.libc, rules);
  const out = Deno.stdout.writable.getWriter();
  const send = (value: unknown) =>
    out.write(new TextEncoder().encode(JSON.stringify(value) + "\n"));
  await send({ kernel: wall });
  for await (const line of input) {
    let reply;
    try {
      reply = await handleBrokerRequest(policy, JSON.parse(line) as BrokerRequest);
    } catch {
      reply = { error: "EINVAL" };
    }
    await send(reply);
  }
}

if (import.meta.main) await serveBroker();
