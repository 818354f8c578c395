/**
 * A stdin file is read only if it is still the file that was checked: a host-side swap for a
 * symlink (or any other file) between the check and the read is refused, on every wall.
 */
import { until } from "./helpers/processes.ts";
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { exists, tree } from "./helpers/wasp.ts";
import { serve } from "./helpers/serve.ts";
import { buildPolicy } from "../src/policy.ts";
import { readStdin } from "../src/wall/stdin_reader.ts";
import { WaspError } from "../src/envelope.ts";

/** Replaces `path` by a symlink to `target` in one rename. */
async function swapForLink(path: string, target: string): Promise<void> {
  await Deno.symlink(target, `${path}.tmp`);
  await Deno.rename(`${path}.tmp`, path);
}

Deno.test("readStdin() refuses a stdin file swapped for a symlink after the policy was built", async () => {
  const dir = await tree({ "ws/in.txt": "harmless", "secret/s.txt": "SECRET" });
  const policy = buildPolicy({
    module: await cGuest("cat"),
    stdin: { kind: "file", path: `${dir}/ws/in.txt` },
  });
  await swapForLink(`${dir}/ws/in.txt`, `${dir}/secret/s.txt`);
  const err = await readStdin(policy.stdin, 1024, new AbortController().signal).then(
    () => null,
    (e: unknown) => e,
  );
  assert(err instanceof WaspError, `expected a refusal, got ${err}`);
  assertMatch(err.message, /was replaced after it was checked/);
});

Deno.test("wasp serve refuses a queued request's stdin file swapped for a symlink outside its ceiling", async () => {
  const dir = await tree({
    "ws/in.txt": "harmless",
    "secret/s.txt": "SECRET-OUTSIDE",
    "mods/": "",
  });
  await Deno.copyFile(await cGuest("cat"), `${dir}/mods/cat.wasm`);
  await Deno.copyFile(await cGuest("wait_file"), `${dir}/mods/wait.wasm`);
  const { code, answers } = await serve(
    [
      "--allow-dir",
      `ws=${dir}/ws`,
      "--module-dir",
      `${dir}/mods`,
      "--max-concurrency",
      "1",
      "--max-timeout",
      "60000",
    ],
    [
      {
        id: "holder",
        kind: "wasm-run",
        module: `${dir}/mods/wait.wasm`,
        allow_dirs: [{ path: `${dir}/ws`, guest: "/ws", access: "read-write" }],
        args: ["/ws/started", "/ws/go"],
        limits: { timeout_ms: 60000 },
      },
      { id: "victim", kind: "wasm-run", module: `${dir}/mods/cat.wasm`, stdin: `${dir}/ws/in.txt` },
    ],
    {
      // the holder runs in the only slot: the victim is checked and waits behind it
      before: async () => {
        await until(() => exists(`${dir}/ws/started`), "the guest to start");
        await swapForLink(`${dir}/ws/in.txt`, `${dir}/secret/s.txt`);
        await Deno.writeTextFile(`${dir}/ws/go`, "");
      },
    },
  );
  assertEquals(code, 0);
  const byId = new Map(answers.map((a) => [a.id, a]));
  assertEquals(byId.get("holder")?.stdout, "go\n");
  assertEquals(byId.get("victim")?.stdout, "");
  assertEquals(byId.get("victim")?.error_kind, "invalid_argument");
  assertMatch(byId.get("victim")!.error!, /was replaced after it was checked/);
});
