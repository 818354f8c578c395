/**
 * The parent's handle on a run's broker process (see broker_process.ts): started at the first
 * request, asked one request at a time, killed when the run ends. Without the kernel wall
 * the parent answers requests itself (broker.ts).
 * @module
 */
import type { Policy } from "../policy.ts";
import { handleBrokerRequest } from "./broker.ts";
import type { BrokerConfig } from "./broker_process.ts";
import { brokerCommand, killQuietly } from "./child_command.ts";
import type { BrokerRequest, BrokerResponse } from "./protocol.ts";

/** Answers a run's broker requests. */
export class Broker {
  readonly #policy: Policy;
  readonly #libc: string | null;
  #process: Deno.ChildProcess | null = null;
  #writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  #pending = "";
  #failed = false;

  /** `libc` is the kernel wall's C library, or null to answer in this process. */
  constructor(policy: Policy, libc: string | null) {
    this.#policy = policy;
    this.#libc = libc;
  }

  /** Answers one request. */
  async handle(req: BrokerRequest): Promise<BrokerResponse> {
    if (this.#libc === null) return await handleBrokerRequest(this.#policy, req);
    if (this.#failed) return { error: "EIO" };
    try {
      if (this.#process === null) await this.#start(this.#libc);
      await this.#send(req);
      return JSON.parse(await this.#line()) as BrokerResponse;
    } catch {
      this.#failed = true;
      return { error: "EIO" };
    }
  }

  async #start(libc: string): Promise<void> {
    const cmd = brokerCommand(libc);
    this.#process = new Deno.Command(cmd.exec, {
      args: cmd.args,
      env: cmd.env,
      clearEnv: true,
      // not wasp's working directory, which a guest may have removed (Deno cannot start there)
      cwd: "/",
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    this.#writer = this.#process.stdin.getWriter();
    this.#reader = this.#process.stdout.getReader();
    const config: BrokerConfig = {
      libc,
      dirs: this.#policy.dirs,
      symlinks: this.#policy.symlinks,
    };
    await this.#send(config);
    await this.#line(); // the broker's report of its kernel wall
  }

  async #send(value: unknown): Promise<void> {
    await this.#writer!.write(new TextEncoder().encode(JSON.stringify(value) + "\n"));
  }

  async #line(): Promise<string> {
    const decoder = new TextDecoder();
    while (!this.#pending.includes("\n")) {
      const { value, done } = await this.#reader!.read();
      if (done) throw new Error("the broker process ended");
      this.#pending += decoder.decode(value, { stream: true });
    }
    const nl = this.#pending.indexOf("\n");
    const line = this.#pending.slice(0, nl);
    this.#pending = this.#pending.slice(nl + 1);
    return line;
  }

  /** Ends the broker process, if one was started. */
  async close(): Promise<void> {
    const p = this.#process;
    if (p === null) return;
    killQuietly(p);
    await this.#reader?.cancel().catch(() => {});
    await this.#writer?.close().catch(() => {});
    await p.status;
  }
}
