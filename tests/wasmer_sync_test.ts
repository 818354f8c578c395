/**
 * The wasmer engine's copy-in and sync-back lose no data and widen nothing: directories
 * count against the sync caps, deep chains are refused quickly, a sync-back is all or
 * nothing even when the timeout strikes, a path that changes between file and directory
 * lands, modes and hard links survive, odd names and foreign imports are refused clearly.
 * Host effects are compared against the default engine where both can do the same.
 */
import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { cGuest, watGuest } from "./helpers/guests.ts";
import { buildPolicy } from "../src/policy.ts";
import { runWalled } from "../src/wall/run_walled.ts";
import { lines, tree, wasp } from "./helpers/wasp.ts";

const ENGINES = ["wasp", "wasmer"] as const;

/** Every entry below `dir`: kind, contents, mode, and which names share an inode. */
async function hostState(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const inodes = new Map<number, string>();
  const walk = async (d: string, rel: string) => {
    const names = [];
    for await (const e of Deno.readDir(d)) names.push(e.name);
    for (const name of names.sort()) {
      const p = `${d}/${name}`;
      const st = await Deno.lstat(p);
      const mode = ((st.mode ?? 0) & 0o777).toString(8);
      if (st.isSymlink) out[rel + name] = `link -> ${await Deno.readLink(p)}`;
      else if (st.isDirectory) {
        out[rel + name] = `dir ${mode}`;
        await walk(p, `${rel}${name}/`);
      } else {
        const first = inodes.get(st.ino!);
        if (first === undefined) inodes.set(st.ino!, rel + name);
        out[rel + name] = `file ${mode} ${JSON.stringify(await Deno.readTextFile(p))}${
          first ? ` same inode as ${first}` : ""
        }`;
      }
    }
  };
  await walk(dir, "");
  return out;
}

/** Runs fsops with `ops` on a fresh copy of `files` under each engine; returns both results. */
async function onBothEngines(
  files: Record<string, string>,
  prepare: (ws: string) => Promise<void>,
  ops: string[],
) {
  const results = [];
  for (const engine of ENGINES) {
    const dir = await tree(
      Object.fromEntries(Object.entries(files).map(([k, v]) => [`ws/${k}`, v])),
    );
    await prepare(`${dir}/ws`);
    const r = await wasp([
      "run",
      await cGuest("fsops"),
      "--engine",
      engine,
      "--allow-dir",
      `${dir}/ws::/workspace/ws`,
      "--",
      ...ops,
    ]);
    results.push({
      status: r.envelope.status,
      error: r.envelope.error,
      stdout: r.envelope.stdout,
      host: await hostState(`${dir}/ws`),
    });
  }
  return results;
}

async function syncTree(ws: string, args: string[], extra: string[] = []) {
  return await wasp([
    "run",
    await cGuest("sync_tree"),
    "--engine",
    "wasmer",
    "--allow-dir",
    `${ws}::/workspace/ws`,
    ...extra,
    "--",
    ...args,
  ]);
}

Deno.test("wasmer: directories the guest creates count against --max-sync-files and nothing is synced past it", async () => {
  const dir = await tree({ "ws/keep.txt": "k" });
  const before = await hostState(`${dir}/ws`);
  const r = await syncTree(`${dir}/ws`, ["dirs:/workspace/ws/many:20"], ["--max-sync-files", "10"]);
  assertEquals(lines(r.envelope.stdout), ["done"]);
  assertEquals(r.envelope.error_kind, "policy_error");
  assertMatch(r.envelope.error!, /more than 10 files and directories.*nothing was synced back/);
  assertEquals(await hostState(`${dir}/ws`), before);
});

Deno.test("wasmer: a directory chain deeper than the sync depth is refused whole and leaves the host unchanged", async () => {
  const dir = await tree({ "ws/keep.txt": "k" });
  const before = await hostState(`${dir}/ws`);
  const r = await syncTree(`${dir}/ws`, ["deep:/workspace/ws/chain:1000"]);
  assertEquals(lines(r.envelope.stdout), ["done"]);
  assertEquals(r.envelope.error_kind, "policy_error");
  assertMatch(r.envelope.error!, /deeper than 128 levels/);
  assertEquals(await hostState(`${dir}/ws`), before);
});

Deno.test("wasmer: a 120-deep chain with files lands exactly as under the default engine", async () => {
  const hosts = [];
  for (const engine of ENGINES) {
    const dir = await tree({ "ws/keep.txt": "k" });
    const r = await wasp([
      "run",
      await cGuest("sync_tree"),
      "--engine",
      engine,
      "--allow-dir",
      `${dir}/ws::/workspace/ws`,
      "--",
      "deep:/workspace/ws/chain:120",
      "files:/workspace/ws/flat:40:3000",
    ]);
    assertEquals(r.envelope.status, "success", r.envelope.error ?? "");
    hosts.push(await hostState(`${dir}/ws`));
  }
  assertEquals(hosts[1], hosts[0]);
  assertEquals(Object.keys(hosts[0]).length, 1 + 1 + 120 + 1 + 40);
});

Deno.test("wasmer: a timeout never leaves part of a sync-back or a temp file", async () => {
  // Whatever moment the timeout strikes (during the guest, the sandbox read or the commit),
  // the host holds either nothing of the run or all of it.
  // 9,000 files take this machine's wasmer engine about 2 s to write, 1 s to read back and
  // 1 s to commit: the timeouts below land in each phase on most machines.
  const count = 9000;
  for (const timeout of ["2500", "3500", "4500"]) {
    const dir = await tree({ "ws/keep.txt": "k" });
    const r = await syncTree(`${dir}/ws`, [`files:/workspace/ws/out:${count}:100`], [
      "--timeout",
      timeout,
    ]);
    const names = [];
    for await (const e of Deno.readDir(`${dir}/ws`)) names.push(e.name);
    if (r.envelope.status === "success") {
      assertEquals(names.sort(), ["keep.txt", "out"]);
      let files = 0;
      for await (const _ of Deno.readDir(`${dir}/ws/out`)) files++;
      assertEquals(files, count);
    } else {
      assertEquals(r.envelope.error_kind, "timeout", r.envelope.error ?? "");
      assertEquals(names, ["keep.txt"]);
    }
  }
});

Deno.test("wasmer: once a sync-back has begun, the timeout waits for it instead of cutting it", async () => {
  const policy = buildPolicy({ module: await cGuest("hello"), limits: { timeoutMs: 5000 } });
  const envelope = await runWalled(policy, {
    entry: new URL("./fixtures/sync_probe.ts", import.meta.url),
  });
  assertEquals(envelope.stdout, "go\n");
  assertEquals(envelope.status, "success", envelope.error ?? "");
  assert(envelope.execution_time_ms >= 5000, String(envelope.execution_time_ms));
});

Deno.test("wasmer: a path turned from file to directory and back lands as under the default engine", async () => {
  const [wasp_, wasmer] = await onBothEngines(
    { "p": "file p", "q/x": "in q", "q/sub/y": "deep", "stay.txt": "stay" },
    async () => {},
    [
      "unlink:/workspace/ws/p",
      "mkdir:/workspace/ws/p",
      "write:/workspace/ws/p/inner:new inner",
      "unlink:/workspace/ws/q/sub/y",
      "rmdir:/workspace/ws/q/sub",
      "unlink:/workspace/ws/q/x",
      "rmdir:/workspace/ws/q",
      "write:/workspace/ws/q:q is a file now",
    ],
  );
  assertEquals(wasmer, wasp_);
  assertEquals(wasp_.host["p/inner"], 'file 644 "new inner"');
  assertEquals(wasp_.host["q"], 'file 644 "q is a file now"');
});

Deno.test("wasmer: a removed directory that still holds a host symlink keeps it, as under the default engine", async () => {
  const [wasp_, wasmer] = await onBothEngines(
    { "q/x": "in q", "target": "t" },
    async (ws) => await Deno.symlink("../target", `${ws}/q/link`),
    ["unlink:/workspace/ws/q/x", "rmdir:/workspace/ws/q"],
  );
  assertEquals(wasmer.host, wasp_.host);
  assertEquals(wasp_.host["q/link"], "link -> ../target");
  assertEquals(wasp_.host["q/x"], undefined);
});

Deno.test("wasmer: a directory holding a host symlink is never replaced by a file, and nothing is synced", async () => {
  const dir = await tree({ "ws/q/x": "in q", "ws/target": "t", "ws/other.txt": "o" });
  await Deno.symlink("../target", `${dir}/ws/q/link`);
  const before = await hostState(`${dir}/ws`);
  const r = await wasp([
    "run",
    await cGuest("fsops"),
    "--engine",
    "wasmer",
    "--allow-dir",
    `${dir}/ws::/workspace/ws`,
    "--",
    "write:/workspace/ws/other.txt:changed",
    "unlink:/workspace/ws/q/x",
    "rmdir:/workspace/ws/q",
    "write:/workspace/ws/q:a file now",
  ]);
  assertEquals(lines(r.envelope.stdout), ["write ok", "unlink ok", "rmdir ok", "write ok"]);
  assertEquals(r.envelope.error_kind, "policy_error");
  assertMatch(r.envelope.error!, /holds link.*nothing was synced back/);
  assertEquals(await hostState(`${dir}/ws`), before);
});

Deno.test("wasmer: an append keeps a 0600 file's mode and hard links stay one file, as under the default engine", async () => {
  const [wasp_, wasmer] = await onBothEngines(
    { "secret.txt": "s", "h1": "shared" },
    async (ws) => {
      await Deno.chmod(`${ws}/secret.txt`, 0o600);
      await Deno.link(`${ws}/h1`, `${ws}/h2`);
    },
    ["append:/workspace/ws/secret.txt:+", "append:/workspace/ws/h1:+more"],
  );
  assertEquals(wasmer, wasp_);
  assertEquals(wasp_.host["secret.txt"], 'file 600 "s+"');
  assertEquals(wasp_.host["h2"], 'file 644 "shared+more" same inode as h1');
});

Deno.test("wasmer: a grant holding a name that is not UTF-8 is refused as policy_error", async () => {
  const dir = await tree({ "ws/ok.txt": "ok" });
  const made = await new Deno.Command("sh", {
    args: ["-c", `printf x > "$1/$(printf 'bad\\377name')"`, "sh", `${dir}/ws`],
  }).output();
  assert(made.success);
  const r = await syncTree(`${dir}/ws`, ["files:/workspace/ws/out:1:1"]);
  assertEquals(r.envelope.error_kind, "policy_error", r.envelope.error ?? "");
  assertMatch(r.envelope.error!, /not valid UTF-8/);
  assertEquals(r.envelope.stdout, "");
});

Deno.test("wasmer: a wasi-threads module is refused exactly as the default engine refuses it", async () => {
  const threads = await watGuest(
    "thread_spawn",
    `(module
      (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "_start") (drop (call $spawn (i32.const 0)))))`,
  );
  const results = [];
  for (const engine of ENGINES) {
    const r = await wasp(["run", threads, "--engine", engine]);
    results.push({ kind: r.envelope.error_kind, error: r.envelope.error });
  }
  assertEquals(results[1], results[0]);
  assertEquals(results[0].kind, "invalid_module");
  assertMatch(results[0].error!, /imports wasi\.thread-spawn/);
});

Deno.test("wasmer: a guest that removes its grant's own directory gets policy_error and the host keeps it", async () => {
  const dir = await tree({ "ws/x": "x" });
  const before = await hostState(`${dir}/ws`);
  const r = await wasp([
    "run",
    await cGuest("fsops"),
    "--engine",
    "wasmer",
    "--allow-dir",
    `${dir}/ws::/workspace/ws`,
    "--",
    "unlink:/workspace/ws/x",
    "rmdir:/workspace/ws",
  ]);
  assertEquals(lines(r.envelope.stdout), ["unlink ok", "rmdir ok"]);
  assertEquals(r.envelope.error_kind, "policy_error", r.envelope.error ?? "");
  assertMatch(r.envelope.error!, /nothing was synced back/);
  assertEquals(await hostState(`${dir}/ws`), before);
});
