/**
 * wasp's own MCP stdio transport (newline-delimited JSON-RPC), in place of the SDK's:
 *
 * - it sees the end of stdin (the client went away) and reports it as `onend` (the server then
 *   cancels its runs, lets their answers out with `settle()`, and closes);
 * - replies are written with asynchronous writes from a queue, so a client that never reads
 *   them cannot block the event loop (and with it every timer, kill and cancellation);
 *   while more than `highWaterChars` of replies wait, it stops reading new requests;
 * - a reply is serialized piece by piece (json_chunks.ts), so no size of guest output can
 *   exceed what one JS string holds;
 * - a request longer than `maxMessageBytes` is skipped as it streams by and answered with an
 *   error under its own id; a line that is not JSON-RPC is answered with an error too;
 * - a request reusing the id of a request still being served is refused, not served twice.
 * @module
 */
import { jsonBytes } from "../json_chunks.ts";
import { RequestIdScanner } from "./request_id_scanner.ts";

/** A JSON-RPC message (request, notification or response). */
export type JsonRpcMessage = Record<string, unknown>;

/** JSON-RPC error codes the transport answers with itself. */
export const PARSE_ERROR = -32700;
/** The request is not a valid JSON-RPC request (or is too large, or reuses a busy id). */
export const INVALID_REQUEST = -32600;

/** Thrown by `check` to answer a message with a specific JSON-RPC error. */
export class RpcRefusal extends Error {
  /** The JSON-RPC error code of the reply. */
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/** Where the transport reads and writes. */
export interface StdioTransportOptions {
  input: ReadableStream<Uint8Array>;
  output: { write(p: Uint8Array): Promise<number> };
  /** Longest request line accepted, in bytes. */
  maxMessageBytes: number;
  /**
   * Checks that a parsed line is a JSON-RPC message (and, for requests the server knows, that
   * their params have the right shape); throws when it is not, an RpcRefusal to choose the reply.
   */
  check(message: unknown): JsonRpcMessage;
  /** Rewrites an outgoing message just before it is serialized. */
  prepare?(message: JsonRpcMessage): unknown;
  /** Reading pauses while replies of more than this many characters wait to be written. */
  highWaterChars?: number;
}

interface Outgoing {
  weight: number;
  chunks: Iterator<Uint8Array>;
}

/** Roughly how many characters the JSON of `v` takes (strings counted by length). */
function weigh(v: unknown, depth = 0): number {
  if (typeof v === "string") return v.length + 2;
  if (v === null || typeof v !== "object" || depth > 32) return 8;
  let n = 2;
  for (const [k, x] of Object.entries(v)) n += k.length + 4 + weigh(x, depth + 1);
  return n;
}

function idKey(id: unknown): string | null {
  if (typeof id === "string") return `s:${id}`;
  if (typeof id === "number") return `n:${id}`;
  return null;
}

/** A newline-delimited JSON-RPC transport over a byte stream pair (stdin/stdout). */
export class StdioTransport {
  /** Called with each incoming message that passed `check`. */
  onmessage?: (message: JsonRpcMessage) => void;
  /** Called once when the input ended (without it, the end of input closes at once). */
  onend?: () => void;
  /** Called once when the output broke or `close()` was called. */
  onclose?: () => void;
  /** Called with problems that do not end the connection. */
  onerror?: (error: Error) => void;

  readonly #o: StdioTransportOptions;
  readonly #queue: Outgoing[] = [];
  #backlog = 0;
  #pumping = false;
  /** Set when the input ended or close() was called: no more reading. */
  #closed = false;
  /** Set when the output broke: no more writing. */
  #broken = false;
  /** Waiters of settle(), woken whenever a request is answered or a reply written. */
  #waiters: (() => void)[] = [];
  #wake: (() => void) | null = null;
  /** Ids of requests received and not yet answered. */
  readonly #open = new Set<string>();
  // the line being received
  #parts: Uint8Array[] = [];
  #partBytes = 0;
  #oversize: RequestIdScanner | null = null;
  #oversizeBytes = 0;

  constructor(options: StdioTransportOptions) {
    this.#o = options;
  }

  /** Starts reading; returns at once. */
  start(): Promise<void> {
    this.#readLoop();
    return Promise.resolve();
  }

  /** Queues a message for the client; resolves once it is queued (not written). */
  send(message: JsonRpcMessage): Promise<void> {
    if (this.#broken) return Promise.resolve();
    const isResponse = !("method" in message) && ("result" in message || "error" in message);
    if (isResponse) {
      const key = idKey(message.id);
      if (key !== null) this.#open.delete(key);
    }
    this.#enqueue(message);
    this.#notify();
    return Promise.resolve();
  }

  /**
   * Waits until every request received has been answered and every reply written (or the
   * output broke), for at most `ms` milliseconds.
   */
  async settle(ms: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let late = false;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        late = true;
        resolve();
      }, ms);
    });
    while (!late && !this.#broken && (this.#open.size > 0 || this.#queue.length > 0)) {
      await Promise.race([new Promise<void>((resolve) => this.#waiters.push(resolve)), deadline]);
    }
    clearTimeout(timer);
  }

  #notify(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Stops reading and reports the close once; queued replies are still written. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.#wake?.();
    this.onclose?.();
    return Promise.resolve();
  }

  #enqueue(message: JsonRpcMessage): void {
    const prepared = this.#o.prepare ? this.#o.prepare(message) : message;
    const weight = weigh(message) * (prepared === message ? 1 : 2);
    this.#queue.push({ weight, chunks: jsonBytes(prepared, 0, "\n") });
    this.#backlog += weight;
    this.#pump();
  }

  #replyError(id: unknown, code: number, message: string): void {
    this.#enqueue({ jsonrpc: "2.0", id: idKey(id) === null ? null : id, error: { code, message } });
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0 && !this.#broken) {
        const item = this.#queue[0];
        for (let next = item.chunks.next(); !next.done; next = item.chunks.next()) {
          let off = 0;
          while (off < next.value.length) {
            off += await this.#o.output.write(next.value.subarray(off));
          }
        }
        this.#queue.shift();
        this.#backlog -= item.weight;
        this.#wake?.();
        this.#notify();
      }
    } catch (err) {
      // the client's end of our stdout is gone: so is the client
      this.#broken = true;
      this.onerror?.(err instanceof Error ? err : new Error(String(err)));
      await this.close();
    } finally {
      this.#pumping = false;
      this.#notify();
    }
  }

  async #roomToRead(): Promise<void> {
    const high = this.#o.highWaterChars ?? 64 * 1024 * 1024;
    while (this.#backlog > high && !this.#closed) {
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = null;
    }
  }

  async #readLoop(): Promise<void> {
    const reader = this.#o.input.getReader();
    try {
      while (!this.#closed) {
        await this.#roomToRead();
        if (this.#closed) break;
        const { value, done } = await reader.read();
        if (done) break;
        this.#take(value);
      }
    } catch (err) {
      this.onerror?.(err instanceof Error ? err : new Error(String(err)));
    }
    reader.releaseLock();
    if (this.#closed) return;
    if (this.onend) {
      this.#closed = true;
      this.onend();
    } else await this.close();
  }

  /** Splits incoming bytes into lines, skipping the bodies of oversized ones. */
  #take(chunk: Uint8Array): void {
    let from = 0;
    while (from < chunk.length && !this.#closed) {
      const nl = chunk.indexOf(0x0a, from);
      const end = nl === -1 ? chunk.length : nl;
      const piece = chunk.subarray(from, end);
      if (this.#oversize === null && this.#partBytes + piece.length > this.#o.maxMessageBytes) {
        this.#oversize = new RequestIdScanner();
        for (const p of this.#parts) this.#oversize.push(p);
        this.#oversizeBytes = this.#partBytes;
        this.#parts = [];
        this.#partBytes = 0;
      }
      if (this.#oversize !== null) {
        this.#oversize.push(piece);
        this.#oversizeBytes += piece.length;
      } else if (piece.length > 0) {
        this.#parts.push(piece.slice());
        this.#partBytes += piece.length;
      }
      if (nl === -1) return;
      from = nl + 1;
      this.#endLine();
    }
  }

  #endLine(): void {
    if (this.#oversize !== null) {
      const id = this.#oversize.id();
      const size = this.#oversizeBytes;
      this.#oversize = null;
      this.#oversizeBytes = 0;
      this.#replyError(
        id,
        INVALID_REQUEST,
        `the request of ${size} bytes is larger than this server's limit of ${this.#o.maxMessageBytes} bytes; pass large inputs through a mounted directory`,
      );
      return;
    }
    const bytes = new Uint8Array(this.#partBytes);
    let at = 0;
    for (const p of this.#parts) {
      bytes.set(p, at);
      at += p.length;
    }
    this.#parts = [];
    this.#partBytes = 0;
    const text = new TextDecoder().decode(bytes).trim();
    if (text !== "") this.#handleLine(text);
  }

  #handleLine(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.#replyError(null, PARSE_ERROR, "the line is not JSON; send one JSON-RPC message a line");
      return;
    }
    const raw = parsed as Record<string, unknown> | null;
    const id = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? raw.id : null;
    let message: JsonRpcMessage;
    try {
      message = this.#o.check(parsed);
    } catch (err) {
      if (err instanceof RpcRefusal) this.#replyError(id, err.code, err.message);
      else this.#replyError(id, INVALID_REQUEST, "the message is not a valid JSON-RPC 2.0 message");
      return;
    }
    if ("method" in message && "id" in message) {
      const key = idKey(message.id);
      if (key !== null && this.#open.has(key)) {
        this.#replyError(
          message.id,
          INVALID_REQUEST,
          `request id ${
            JSON.stringify(message.id)
          } is already in use by a request that has not been answered; use a new id`,
        );
        return;
      }
      if (key !== null) this.#open.add(key);
    }
    this.onmessage?.(message);
  }
}
