/**
 * A run's stream events as MCP progress notifications, for a call whose client sent a
 * `progressToken`: each piece of guest output is a notification whose `message` is the text and
 * whose `_meta["wasp/stream"]` names the stream; and every second a tick
 * ("running for N s"). `progress` is the elapsed time in ms, made to increase with every
 * notification as the spec asks. Without a token nothing is sent.
 * @module
 */
import { elapsedMs } from "../envelope.ts";
import type { StreamEvent } from "../report/stream_events.ts";

/** A token from the request's `_meta`. */
export type ProgressToken = string | number;

/** The params of one `notifications/progress`. */
export interface ProgressParams {
  progressToken: ProgressToken;
  progress: number;
  message: string;
  _meta?: { "wasp/stream": "stdout" | "stderr" };
}

/** Sends one notification (the SDK's `extra.sendNotification`). */
export type SendProgress = (
  notification: { method: "notifications/progress"; params: ProgressParams },
) => Promise<void>;

/** Turns the events of one call into progress notifications. */
export class ProgressNotifier {
  readonly #token: ProgressToken;
  readonly #send: SendProgress;
  readonly #startedAt: number;
  #last = 0;

  constructor(token: ProgressToken, send: SendProgress, startedAt: number) {
    this.#token = token;
    this.#send = send;
    this.#startedAt = startedAt;
  }

  /** Sends the notification for `event` (the result sends none: it is the reply). */
  notify(event: StreamEvent): void {
    if (event.type === "result") return;
    const progress = Math.max(this.#last + 1, elapsedMs(this.#startedAt));
    this.#last = progress;
    const params: ProgressParams = event.type === "progress"
      ? {
        progressToken: this.#token,
        progress,
        message: `running for ${Math.round(event.elapsed_ms / 1000)} s`,
      }
      : {
        progressToken: this.#token,
        progress,
        message: event.data,
        _meta: { "wasp/stream": event.type },
      };
    this.#send({ method: "notifications/progress", params }).catch(() => {});
  }
}
