/**
 * `wasp serve`: one JSON request per line on stdin, one envelope per line on stdout. A
 * request is a `wasm-run`, `python` or `sample` manifest with an `id` of the caller's choice,
 * echoed first in its answer. Requests run concurrently up to the ceiling's limit and are
 * answered as they finish (out of order). Every host path a request names must lie inside
 * the ceiling. At the end of stdin the runs in flight finish, their answers go out, and the
 * server ends; a signal cancels the runs in flight instead.
 * @module
 */
import { cancelOnSignals } from "../signals.ts";
import { type Envelope, envelopeFromError, refusal, WaspError } from "../envelope.ts";
import { within } from "../grant_paths.ts";
import { absolute } from "../policy.ts";
import { DEFAULT_LIMITS } from "../limits.ts";
import type { Ceiling } from "../mcp/ceiling.ts";
import { runTask } from "../task.ts";
import type { Pool } from "./pool.ts";

/** Longest request line read (10 MiB); a longer one is answered with an error. */
export const MAX_REQUEST_LINE = 10 * 1024 * 1024;

/**
 * Requests taken in (running or waiting for a slot) per slot of concurrency; further lines
 * stay unread in stdin until one is answered, so a flood of requests holds no memory here.
 */
export const PENDING_PER_SLOT = 2;

/** Fields a request may carry besides its manifest. */
const ID = "id";

/** Lines of `stream`, each at most `max` bytes (a longer one is yielded as null). */
async function* requestLines(
  stream: ReadableStream<Uint8Array>,
  max: number,
): AsyncGenerator<string | null> {
  const decoder = new TextDecoder();
  let pending = "";
  let skipping = false;
  for await (const chunk of stream) {
    pending += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (skipping) skipping = false;
      else if (line.trim() !== "") yield line.length > max ? null : line;
    }
    if (pending.length > max && !skipping) {
      skipping = true;
      pending = "";
      yield null;
    }
    if (skipping) pending = "";
  }
  if (!skipping && pending.trim() !== "") yield pending.length > max ? null : pending;
}

/** The request's manifest with the ceiling's defaults filled in (env values, limits). */
function withDefaults(request: Record<string, unknown>, ceiling: Ceiling): Record<string, unknown> {
  const out = { ...request };
  if (out.env === undefined || (typeof out.env === "object" && out.env !== null)) {
    const env = { ...(out.env as Record<string, string> | undefined) };
    for (const [key, value] of ceiling.env) if (value !== null && !(key in env)) env[key] = value;
    if (Object.keys(env).length > 0 || out.env !== undefined) out.env = env;
  }
  if (out.limits === undefined || (typeof out.limits === "object" && out.limits !== null)) {
    const limits = { ...(out.limits as Record<string, unknown> | undefined) };
    limits.timeout_ms ??= Math.min(DEFAULT_LIMITS.timeoutMs, ceiling.timeoutMs);
    limits.max_memory_bytes ??= Math.min(DEFAULT_LIMITS.maxMemoryBytes, ceiling.maxMemoryBytes);
    limits.max_output_bytes ??= Math.min(DEFAULT_LIMITS.maxOutputBytes, ceiling.maxOutputBytes);
    out.limits = limits;
  }
  return out;
}

/**
 * Refuses, by name, host paths of a request that lie outside the ceiling (the serving
 * process could not even look at them); paths inside are checked again, canonically, by the
 * pool once the run is built.
 */
function checkPaths(manifest: Record<string, unknown>, ceiling: Ceiling, baseDir: string): void {
  const allowed = [...ceiling.aliases.values()].map((a) => a.host);
  // lexically normalised ("ceiling/../elsewhere" is elsewhere); the pool's check is canonical
  const normal = (path: string) =>
    path.startsWith("/") ? absolute(`.${path}`, "/") : absolute(path, baseDir);
  const inside = (path: unknown, roots: string[]) =>
    typeof path !== "string" || roots.some((r) => within(normal(path), r));
  const dirs = Array.isArray(manifest.allow_dirs) ? manifest.allow_dirs : [];
  for (const d of dirs) {
    const path = (d as { path?: unknown } | null)?.path;
    if (!inside(path, allowed)) {
      throw new WaspError(
        "policy_error",
        `${path} is not inside a directory this server allows; ask for one inside its --allow-dir directories`,
      );
    }
  }
  if (!inside(manifest.stdin, allowed)) {
    throw new WaspError("policy_error", `stdin file ${manifest.stdin} is not inside the ceiling`);
  }
  if (
    manifest.kind === "wasm-run" && !inside(manifest.module, [...allowed, ...ceiling.moduleDirs])
  ) {
    throw new WaspError(
      "policy_error",
      `module ${manifest.module} is not inside a directory this server allows (--module-dir or --allow-dir)`,
    );
  }
}

/** Answers one request line. */
async function answer(
  line: string | null,
  ceiling: Ceiling,
  pool: Pool,
  baseDir: string,
  signal: AbortSignal,
): Promise<{ id: unknown; envelope: Envelope }> {
  const startedAt = performance.now();
  if (line === null) {
    return {
      id: null,
      envelope: refusal(
        "invalid_manifest",
        `a request line is longer than ${MAX_REQUEST_LINE} bytes; put large data in a file inside the ceiling`,
        null,
        startedAt,
      ),
    };
  }
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch {
    return {
      id: null,
      envelope: refusal("invalid_manifest", "a request line is not JSON", null, startedAt),
    };
  }
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    return {
      id: null,
      envelope: refusal("invalid_manifest", "a request must be a JSON object", null, startedAt),
    };
  }
  const { [ID]: id = null, ...manifest } = request as Record<string, unknown>;
  if (typeof id === "number" && !Number.isFinite(id)) {
    return {
      id: null,
      envelope: refusal(
        "invalid_manifest",
        "a request's id must be a string or a number JSON can carry (1e400 is not one)",
        null,
        startedAt,
      ),
    };
  }
  if (manifest.kind === "python" && manifest.script !== undefined) {
    return {
      id,
      envelope: refusal(
        "invalid_manifest",
        'wasp serve runs Python "code"; put the script\'s text there instead of "script"',
        null,
        startedAt,
      ),
    };
  }
  try {
    checkPaths(manifest, ceiling, baseDir);
    const envelope = await runTask(withDefaults(manifest, ceiling), {
      pool,
      signal,
      startedAt,
      baseDir,
      // the operator's read-only aliases stay read-only inside a granted read-write one
      readOnlyPaths: [...ceiling.aliases.values()]
        .filter((a) => a.access === "read-only")
        .map((a) => a.host),
    });
    return { id, envelope };
  } catch (err) {
    return { id, envelope: envelopeFromError(err, null, startedAt) };
  }
}

/** Serves requests from stdin until its end (or a signal); answers go to stdout. */
export async function serveRequests(ceiling: Ceiling, pool: Pool, baseDir: string): Promise<void> {
  const signal = cancelOnSignals();
  const out = Deno.stdout.writable.getWriter();
  let writing: Promise<unknown> = Promise.resolve();
  const inFlight = new Set<Promise<void>>();
  const encoder = new TextEncoder();
  const send = (id: unknown, envelope: Envelope) => {
    const text = JSON.stringify({ id, ...envelope }) + "\n";
    writing = writing.then(() => out.write(encoder.encode(text))).catch(() => {});
  };
  const stop = new Promise<null>((resolve) =>
    signal.addEventListener("abort", () => resolve(null))
  );
  const lines = requestLines(Deno.stdin.readable, MAX_REQUEST_LINE);
  const maxPending = Math.max(1, ceiling.maxConcurrency) * PENDING_PER_SLOT;
  for (;;) {
    // backpressure: no new line is read while enough requests are waiting
    while (inFlight.size >= maxPending) {
      if (await Promise.race([Promise.race(inFlight), stop]) === null) break;
    }
    if (signal.aborted) break;
    const next = await Promise.race([lines.next(), stop]);
    if (next === null || next.done) break;
    const job = answer(next.value, ceiling, pool, baseDir, signal).then(({ id, envelope }) =>
      send(id, envelope)
    );
    inFlight.add(job);
    job.finally(() => inFlight.delete(job));
  }
  await Promise.all(inFlight);
  await writing;
  pool.close();
  await out.close().catch(() => {});
}
