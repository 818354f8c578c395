/**
 * The library's streaming: runStream()/streamEvents() as async iterators, and the onOutput
 * option of run(), under either wall.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { countWalledChildren, until } from "./helpers/processes.ts";
import { tree, withDeadline } from "./helpers/wasp.ts";
import { run, runStream, runTask, type StreamEvent, streamEvents } from "../mod.ts";
import type { WallKind } from "../src/wall/child_command.ts";

function streamed(events: StreamEvent[], stream: "stdout" | "stderr"): string {
  return events.map((e) => (e.type === stream ? e.data : "")).join("");
}

for (const wall of ["process", "worker", "pool"] as WallKind[]) {
  Deno.test(`runStream() yields output before the guest ends, progress, the envelope last (${wall} wall)`, async () => {
    const dir = await tree({ "ws/": "" });
    const events: StreamEvent[] = [];
    const stream = runStream({
      module: await cGuest("stream_probe"),
      args: ["wait", "/ws"],
      dirs: [{ host: `${dir}/ws`, guest: "/ws", access: "read-write" }],
      limits: { timeoutMs: 60_000 },
    }, { wall, progressIntervalMs: 50 });
    await withDeadline(
      (async () => {
        for await (const event of stream) {
          events.push(event);
          // the guest sleeps until ws/go exists: ready and a tick came while it still ran
          const ready = events.some((e) => e.type === "stdout" && e.data === "ready\n");
          if (ready && events.some((e) => e.type === "progress")) {
            await Deno.writeTextFile(`${dir}/ws/go`, "");
          }
        }
      })(),
      "the streamed run",
    );
    const last = events.at(-1)!;
    assert(last.type === "result");
    assertEquals(last.status, "success");
    assertEquals(last.stdout, "ready\ndone\n");
    assertEquals(streamed(events, "stdout"), last.stdout);
    assertEquals(streamed(events, "stderr"), "warming\n\u00e9\n");
    assertEquals(last.policy?.walls?.deno, wall);
  });
}

Deno.test("run() calls onOutput with the kept bytes as they arrive", async () => {
  const dir = await tree({ "ws/go": "" });
  const seen: [string, string, string][] = [];
  const envelope = await run({
    module: await cGuest("stream_probe"),
    args: ["wait", "/ws"],
    dirs: [{ host: `${dir}/ws`, guest: "/ws", access: "read-write" }],
  }, {
    onOutput: (stream, bytes, format) => {
      seen.push([stream, new TextDecoder().decode(bytes), `${format.encoding}/${format.maxBytes}`]);
    },
  });
  assertEquals(envelope.status, "success");
  assertEquals(seen.filter(([s]) => s === "stdout").map(([, t]) => t).join(""), "ready\ndone\n");
  assertEquals(seen[0], ["stdout", "ready\n", `utf8/${1024 * 1024}`]);
});

Deno.test("breaking out of runStream() cancels the run and its walled child is gone", async () => {
  const dir = await tree({ "ws/": "" });
  // a path of its own: the CLI stream tests run stream_probe meanwhile, and the wait below
  // counts the walled children of this path
  const module = `${dir}/probe.wasm`;
  await Deno.copyFile(await cGuest("stream_probe"), module);
  let got = "";
  for await (
    const event of runStream({
      module,
      args: ["wait", "/ws"],
      dirs: [{ host: `${dir}/ws`, guest: "/ws", access: "read-write" }],
    })
  ) {
    if (event.type === "stdout") {
      got = event.data;
      break;
    }
  }
  assertEquals(got, "ready\n");
  await until(async () => (await countWalledChildren(module)) === 0, "the child to go", 10_000);
});

Deno.test("streamEvents() streams any run function; refusals are a lone result", async () => {
  const events: StreamEvent[] = [];
  for await (
    const e of streamEvents((o) =>
      runTask({ kind: "sample", sample: "env-report", env: { K: "v" } }, o)
    )
  ) {
    events.push(e);
  }
  assertEquals(streamed(events, "stdout"), "K=v\n");
  const bad: StreamEvent[] = [];
  for await (const e of runStream({ module: "" })) bad.push(e);
  assertEquals(bad.length, 1);
  assert(bad[0].type === "result" && bad[0].error_kind === "invalid_argument");
});
