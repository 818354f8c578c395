/**
 * A raw JSON-RPC client for `wasp mcp`: it writes exactly the bytes a test gives it, reads
 * replies only when told to (or never), and can close its end of the pipe without a signal —
 * what the SDK's client cannot be made to do.
 * @module
 */
import { concat } from "./huge_json.ts";
import { lines, PARENT_FLAGS, ROOT, withDeadline } from "./wasp.ts";

/** A running `wasp mcp` driven over raw stdio. */
export class RawMcp {
  readonly process: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  #pending: Uint8Array[] = [];
  readonly #responses = new Map<unknown, Record<string, unknown>[]>();

  constructor(args: string[]) {
    this.process = new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", ...PARENT_FLAGS, `${ROOT}main.ts`, "mcp", ...args],
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    this.#writer = this.process.stdin.getWriter();
  }

  /** Writes raw bytes (or text) to the server's stdin. */
  async write(data: Uint8Array | string): Promise<void> {
    await this.#writer.write(typeof data === "string" ? new TextEncoder().encode(data) : data);
  }

  /** Writes one JSON-RPC message as a line. */
  async send(message: unknown): Promise<void> {
    await this.write(JSON.stringify(message) + "\n");
  }

  /** Sends initialize and initialized, and reads the initialize reply. */
  async initialize(): Promise<void> {
    await this.send({
      jsonrpc: "2.0",
      id: "init",
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "raw-test", version: "1" },
      },
    });
    const reply = await this.readMessage();
    if (reply.id !== "init") throw new Error(`unexpected reply ${JSON.stringify(reply)}`);
    await this.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  }

  /** Calls a tool (without reading the reply). */
  async call(id: number | string, name: string, args: unknown): Promise<void> {
    await this.send({
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: { name, arguments: args },
    });
  }

  /** Reads the next line as raw bytes (without the newline); fails after `ms`. */
  async readLine(ms = 60_000): Promise<Uint8Array> {
    this.#reader ??= this.process.stdout.getReader();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("no reply line before the deadline")), ms);
    });
    try {
      // only the newest chunk can hold the newline; join once the line is whole
      for (let i = 0;; i++) {
        if (i >= this.#pending.length) {
          const { value, done } = await Promise.race([this.#reader.read(), deadline]);
          if (done) throw new Error("the server closed its stdout");
          this.#pending.push(value);
        }
        const nl = this.#pending[i].indexOf(0x0a);
        if (nl >= 0) {
          const last = this.#pending[i];
          const line = concat([...this.#pending.slice(0, i), last.subarray(0, nl)]);
          this.#pending = [last.subarray(nl + 1), ...this.#pending.slice(i + 1)];
          return line;
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Reads and parses the next message. */
  async readMessage(ms?: number): Promise<Record<string, unknown>> {
    return JSON.parse(new TextDecoder().decode(await this.readLine(ms)));
  }

  /**
   * The next response with `id`, in arrival order; responses to other ids read meanwhile are
   * kept for later calls (replies come in the order runs finish, not the order of requests).
   */
  async response(id: unknown, ms?: number): Promise<Record<string, unknown>> {
    const kept = this.#responses.get(id);
    if (kept && kept.length > 0) return kept.shift()!;
    for (;;) {
      const m = await this.readMessage(ms);
      if ("method" in m) continue; // a notification
      if (m.id === id) return m;
      this.#responses.set(m.id, [...(this.#responses.get(m.id) ?? []), m]);
    }
  }

  /** Closes the server's stdin: the client went away, no signal sent. */
  async closeInput(): Promise<void> {
    await this.#writer.close().catch(() => {});
  }

  /** Waits for the server to exit; fails after `ms`. */
  async exited(ms = 10_000): Promise<Deno.CommandStatus> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        this.process.status,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("the server did not exit")), ms);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the server if it still runs and releases the pipes. */
  async dispose(): Promise<void> {
    try {
      this.process.kill("SIGKILL");
    } catch {
      // already gone
    }
    await this.process.status;
    await this.#writer.close().catch(() => {});
    if (this.#reader) await this.#reader.cancel().catch(() => {});
    else await this.process.stdout.cancel().catch(() => {});
  }
}

/**
 * Runs `wasp mcp ARGS`, writes initialize, initialized and one `tools/call` of `wasp_run` per
 * entry of `calls` (ids 1, 2, ...) at once, closes its input and returns every message it
 * wrote until it exited.
 */
export async function mcpSession(
  args: string[],
  calls: unknown[],
): Promise<Record<string, unknown>[]> {
  const messages = [
    {
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "raw-test", version: "1" },
      },
    },
    { jsonrpc: "2.0", method: "notifications/initialized" },
    ...calls.map((args, i) => ({
      jsonrpc: "2.0",
      id: i + 1,
      method: "tools/call",
      params: { name: "wasp_run", arguments: args },
    })),
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...PARENT_FLAGS, `${ROOT}main.ts`, "mcp", ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(messages.map((m) => JSON.stringify(m) + "\n").join("")));
  await w.close();
  const out = await withDeadline(child.output(), "wasp mcp");
  return lines(new TextDecoder().decode(out.stdout)).map((l) => JSON.parse(l));
}
