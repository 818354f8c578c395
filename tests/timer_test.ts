/** src/timer.ts: timers on AbortSignal.timeout that can be cancelled for good. */
import { assertEquals } from "./helpers/assert.ts";
import { after, every } from "../src/timer.ts";

function later(ms: number): Promise<void> {
  return new Promise((resolve) => after(ms, resolve));
}

Deno.test("after() calls its function once; a cancelled after() never calls it", async () => {
  let fired = 0;
  let cancelledFired = 0;
  after(1, () => fired++);
  const cancel = after(1, () => cancelledFired++);
  cancel();
  await later(50);
  assertEquals(fired, 1);
  assertEquals(cancelledFired, 0);
});

Deno.test("every() calls its function until it is stopped, and never after", async () => {
  let ticks = 0;
  let stop = () => {};
  await new Promise<void>((resolve) => {
    stop = every(1, () => {
      if (++ticks === 3) resolve();
    });
  });
  stop();
  await later(50);
  assertEquals(ticks, 3);
});
