/**
 * One pool Worker from creation to its end: it is walled on creation (see pool_worker.ts),
 * waits, runs one guest, and is terminated. Messages are routed to whoever holds it.
 * @module
 */
import type { WallReport, WorkerNote } from "./protocol.ts";
import { spawnWorker, type WorkerGrants } from "./worker_grants.ts";

/** A Worker with its wall up (or failed), ready to be given one run. */
export class WarmWorker {
  readonly worker: Worker;
  /** Resolves with the Worker's wall report, or with an error report if it died first. */
  readonly ready: Promise<WallReport>;
  /** Called with each message after the wall report. */
  onNote: (note: WorkerNote) => void = () => {};
  /** Called once if the Worker fails (an uncaught error in it). */
  onFail: (message: string) => void = () => {};
  #ended = false;

  constructor(grants: WorkerGrants, libc: string | null) {
    this.worker = spawnWorker(grants, libc);
    let settle: (r: WallReport) => void = () => {};
    this.ready = new Promise((resolve) => settle = resolve);
    let reported = false;
    this.worker.onmessage = (e: MessageEvent<WorkerNote>) => {
      if (!reported && e.data.t === "ready") {
        reported = true;
        settle(e.data);
      } else {
        this.onNote(e.data);
      }
    };
    this.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      const message = `the pool Worker failed: ${e.message}`.split("\n")[0];
      if (!reported) {
        reported = true;
        settle({
          t: "ready",
          kernel: { applied: false, reason: "the Worker failed" },
          privateFs: false,
          lockIno: null,
          ruleIds: [],
          error: message,
        });
      }
      this.onFail(message);
      this.end();
    };
    this.worker.postMessage(grants.order);
  }

  /** Whether the Worker has been ended. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Terminates the Worker (at once, wherever its guest is: a loop, a wait). */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.worker.terminate();
  }
}
