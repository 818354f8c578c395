/**
 * `--stream`: NDJSON events on stdout as the guest writes, the envelope last, under either wall.
 */
import { assert, assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { schemaValidator } from "./helpers/schema.ts";
import { streamed, waspStream } from "./helpers/stream.ts";
import { PARENT_FLAGS, ROOT, tree, wasp, withDeadline } from "./helpers/wasp.ts";
import { countWalledChildren, until } from "./helpers/processes.ts";
import type { Envelope } from "../src/envelope.ts";
import type { ResultEvent, StreamEvent } from "../src/report/stream_events.ts";

function resultOf(events: StreamEvent[]): ResultEvent {
  const last = events.at(-1);
  assert(last?.type === "result", `the last line is not a result: ${JSON.stringify(last)}`);
  assertEquals(events.filter((e) => e.type === "result").length, 1);
  return last;
}

function envelopeOf(result: ResultEvent): Envelope {
  const { type: _type, ...envelope } = result;
  return envelope;
}

async function validators() {
  const event = await schemaValidator("stream_event.schema.json");
  const envelope = await schemaValidator("envelope.schema.json");
  return (events: StreamEvent[]) => {
    for (const e of events) assertEquals(event(e), null, JSON.stringify(e).slice(0, 200));
    assertEquals(envelope(envelopeOf(resultOf(events))), null);
  };
}

for (const wall of ["process", "worker", "pool"]) {
  Deno.test(`run --stream forwards output while the guest still runs (${wall} wall)`, async () => {
    const dir = await tree({ "ws/": "" });
    const seen: string[] = [];
    const check = await validators();
    // the guest sleeps until ws/go exists: it is created only once "ready" and a progress tick
    // arrived, so both reached the consumer before the guest could finish
    const r = await waspStream(
      [
        "run",
        await cGuest("stream_probe"),
        "--allow-dir",
        `${dir}/ws::/ws`,
        "--stream",
        "--",
        "wait",
        "/ws",
      ],
      {
        env: { WASP_WALL: wall },
        onEvent: async (e) => {
          seen.push(e.type === "stdout" || e.type === "stderr" ? `${e.type}:${e.data}` : e.type);
          if (seen.includes("stdout:ready\n") && seen.includes("progress")) {
            await Deno.writeTextFile(`${dir}/ws/go`, "");
          }
        },
      },
    );
    assertEquals(r.code, 0);
    check(r.events);
    const envelope = envelopeOf(resultOf(r.events));
    assertEquals(envelope.status, "success");
    assertEquals(envelope.stdout, "ready\ndone\n");
    assertEquals(envelope.stderr, "warming\n\u00e9\n");
    // the pieces of each stream are exactly the envelope's text: the split character is whole
    assertEquals(streamed(r.events, "stdout"), envelope.stdout);
    assertEquals(streamed(r.events, "stderr"), envelope.stderr);
    assert(!streamed(r.events, "stderr").includes("\ufffd"));
    // (the first tick may come before "ready" on a slow machine: the CLI's clock starts with it)
    assert(seen.indexOf("stdout:ready\n") < seen.indexOf("stdout:done\n"));
    assert(seen.indexOf("progress") < seen.indexOf("stdout:done\n"));
    const progress = r.events.filter((e) => e.type === "progress");
    assert(
      progress.every((e) => e.type === "progress" && e.elapsed_ms <= envelope.execution_time_ms),
    );
  });
}

Deno.test("run --stream: the last line is the envelope a run without --stream prints", async () => {
  const hello = await cGuest("hello");
  const plain = await wasp(["run", hello, "--env", "A=1", "--", "x"]);
  const r = await waspStream(["run", hello, "--env", "A=1", "--stream", "--", "x"]);
  const envelope = envelopeOf(resultOf(r.events));
  assertEquals(r.lines.at(-1)!.startsWith('{"type":"result","status":"success",'), true);
  assertEquals({ ...envelope, execution_time_ms: 0 }, { ...plain.envelope, execution_time_ms: 0 });
  assertEquals(Object.keys(envelope), Object.keys(plain.envelope));
  assertEquals(streamed(r.events, "stdout"), plain.envelope.stdout);
});

Deno.test("run --stream never streams more than the output cap; the envelope keeps the same bytes", async () => {
  const check = await validators();
  const r = await waspStream([
    "run",
    await cGuest("stream_probe"),
    "--max-output",
    "1000",
    "--stream",
    "--",
    "flood",
    "30",
  ]);
  check(r.events);
  const envelope = envelopeOf(resultOf(r.events));
  assertEquals(envelope.stdout_truncated, true);
  assertEquals(envelope.stdout.length, 1000);
  assertEquals(streamed(r.events, "stdout"), envelope.stdout);
});

Deno.test("run --stream with base64 output: each piece decodes to the guest's bytes", async () => {
  const dir = await tree({ "ws/go": "" });
  const check = await validators();
  const r = await waspStream([
    "run",
    await cGuest("stream_probe"),
    "--allow-dir",
    `${dir}/ws::/ws`,
    "--output-encoding",
    "base64",
    "--stream",
    "--",
    "wait",
    "/ws",
  ]);
  check(r.events);
  const envelope = envelopeOf(resultOf(r.events));
  const pieces = r.events.filter((e) => e.type === "stderr");
  assert(pieces.every((e) => e.type === "stderr" && e.encoding === "base64"));
  const bytes = pieces.flatMap((e) => [...atob(e.type === "stderr" ? e.data : "")]).join("");
  assertEquals(bytes, atob(envelope.stderr));
  assertEquals(
    new TextDecoder().decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0))),
    "warming\n\u00e9\n",
  );
});

Deno.test("--stream errors before the run are one result line too", async () => {
  const dir = await tree({ "bad.json": "{" });
  const cases: [string[], string][] = [
    [["run", "--stream", "--bogus"], "invalid_argument"],
    [["run", await cGuest("hello"), "--stream", "--pretty"], "invalid_argument"],
    [["run", `${dir}/missing.wasm`, "--stream"], "module_not_found"],
    [["task", "run", "--stream", "--manifest", `${dir}/bad.json`], "invalid_manifest"],
    [["sample", "run", "nope", "--stream"], "invalid_argument"],
    [["python", "--stream"], "invalid_argument"],
  ];
  for (const [args, kind] of cases) {
    const r = await waspStream(args);
    assertEquals(r.events.length, 1, args.join(" "));
    assertEquals(envelopeOf(resultOf(r.events)).error_kind, kind, args.join(" "));
    assertEquals(r.code, kind === "module_not_found" || kind.startsWith("invalid") ? 2 : 1);
  }
});

Deno.test("sample run --stream and task run --stream stream like run", async () => {
  const dir = await tree({
    "task.json": JSON.stringify({ kind: "sample", sample: "env-report", env: { TASK_ID: "t1" } }),
  });
  const sample = await waspStream(["sample", "run", "env-report", "--env", "K=v", "--stream"]);
  assertEquals(streamed(sample.events, "stdout"), "K=v\n");
  assertEquals(envelopeOf(resultOf(sample.events)).stdout, "K=v\n");
  const task = await waspStream(["task", "run", "--manifest", `${dir}/task.json`, "--stream"]);
  assertEquals(streamed(task.events, "stdout"), "TASK_ID=t1\n");
  assertEquals(envelopeOf(resultOf(task.events)).status, "success");
});

Deno.test("python --stream streams what the program prints", async () => {
  const r = await waspStream([
    "python",
    "--stream",
    "-c",
    "import sys; print('out'); print('err', file=sys.stderr)",
  ]);
  const envelope = envelopeOf(resultOf(r.events));
  assertEquals(envelope.status, "success", envelope.error ?? "");
  assertEquals(streamed(r.events, "stdout"), "out\n");
  assertEquals(streamed(r.events, "stderr"), "err\n");
});

Deno.test("the stream schema's result line requires type and every field the envelope requires, and names every envelope field", async () => {
  const read = async (name: string) =>
    JSON.parse(await Deno.readTextFile(new URL(`../schemas/${name}`, import.meta.url)));
  const stream = await read("stream_event.schema.json");
  const envelope = await read("envelope.schema.json");
  const result = stream.oneOf.find((b: { title: string }) => b.title === "result");
  assertEquals(result.required, ["type", ...envelope.required]);
  assertEquals(Object.keys(result.properties), ["type", ...Object.keys(envelope.properties)]);
});

Deno.test("run --stream: a consumer that goes away stops the run and its walled child", async () => {
  const dir = await tree();
  const module = `${dir}/tick.wasm`; // a path of its own: other tests run tick.wasm meanwhile
  await Deno.copyFile(await cGuest("tick"), module);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PARENT_FLAGS, `${ROOT}main.ts`, "run", module, "--stream", "--timeout", "0"],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let got = "";
  await withDeadline(
    (async () => {
      // a progress tick may come first on a slow machine
      while (!got.includes('{"type":"stdout","data":"tick\\n"}')) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`wasp ended early: ${got}`);
        got += value;
      }
    })(),
    "the first output event",
  );
  await reader.cancel(); // closes the pipe: wasp's next write fails
  const status = await withDeadline(child.status, "wasp to end after its consumer left");
  assertEquals(status.code, 1);
  await until(async () => (await countWalledChildren(module)) === 0, "the child to go", 10_000);
});

Deno.test("run --stream: SIGTERM cancels the run and the last line is still the result", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PARENT_FLAGS, `${ROOT}main.ts`, "run", await cGuest("tick"), "--stream"],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const lines: string[] = [];
  let rest = "";
  let signalled = false;
  await withDeadline(
    (async () => {
      for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
        rest += text;
        const parts = rest.split("\n");
        rest = parts.pop()!;
        lines.push(...parts);
        if (!signalled && lines.length > 0) {
          signalled = true;
          child.kill("SIGTERM");
        }
      }
    })(),
    "the cancelled stream",
  );
  const status = await child.status;
  assertEquals(status.code, 1);
  const events = lines.map((l) => JSON.parse(l) as StreamEvent);
  const envelope = envelopeOf(resultOf(events));
  assertEquals(envelope.error_kind, "cancelled");
  assertEquals(streamed(events, "stdout"), envelope.stdout);
});
