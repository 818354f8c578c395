/**
 * The report's parts on their own: the trace's head and tail, the change log's bookkeeping,
 * and denials that need a host event in the middle of a call (a swap, a broker refusal).
 */
import { assertEquals } from "./helpers/assert.ts";
import { sandbox } from "./helpers/fs_case.ts";
import { NO_PARENT, testRequest } from "./helpers/host.ts";
import { E, OFLAGS, R } from "../src/engine/wasi/constants.ts";
import { WasiHost } from "../src/engine/wasi/host.ts";
import type { EngineIo } from "../src/engine/mod.ts";
import { ChangeLog, MAX_CHANGE_PATH_BYTES } from "../src/report/changes.ts";
import { RunReport } from "../src/report/run_report.ts";
import { TRACE_HEAD, TRACE_TAIL, TraceLog } from "../src/report/trace.ts";
import type { DirGrant } from "../src/policy.ts";
import { ownWorkingDirectory } from "./helpers/own_cwd.ts";

// this file enters directories with chdir in the test process: on its own thread's directory
ownWorkingDirectory();

function hostWith(dirs: DirGrant[], io: Partial<EngineIo> = {}) {
  const report = new RunReport(dirs, { trace: false, changes: true });
  const host = new WasiHost(testRequest(dirs), { ...NO_PARENT, ...io, report });
  const memory = new WebAssembly.Memory({ initial: 1 });
  host.context.memory.attach(memory);
  const u8 = new Uint8Array(memory.buffer);
  const put = (at: number, text: string) => {
    const bytes = new TextEncoder().encode(text);
    u8.set(bytes, at);
    return bytes.length;
  };
  return { host, report, put };
}

Deno.test("the trace keeps the first and the last calls and counts the ones between", () => {
  const log = new TraceLog();
  const total = TRACE_HEAD + TRACE_TAIL + 250;
  for (let i = 0; i < total; i++) log.push("fd_write", String(i), "ok", 1);
  const { trace, trace_dropped } = log.data();
  assertEquals(trace_dropped, 250);
  assertEquals(trace.length, TRACE_HEAD + TRACE_TAIL);
  assertEquals(trace[TRACE_HEAD - 1].seq, TRACE_HEAD - 1);
  assertEquals(trace[TRACE_HEAD].seq, TRACE_HEAD + 250);
  assertEquals(trace.at(-1)?.seq, total - 1);
});

Deno.test("the change log counts writes to a file once until something else happens to it", async () => {
  const log = new ChangeLog([{ host: "/h", guest: "/g", access: "read-write" }]);
  log.created("/h/a", "file");
  log.modified("/h/a");
  log.modified("/h/b");
  log.modified("/h/b");
  log.renamed("/h/b", "/h/c", "file");
  log.modified("/h/c");
  log.created("/h/d", "dir");
  log.created("/h/d/e", "file");
  log.deleted("/h/d", "dir");
  log.modified("/h/d/e");
  const { changes } = await log.data(() => null);
  assertEquals(changes.map((c) => `${c.kind} ${c.guest}`), [
    "created /g/a",
    "modified /g/b",
    "renamed /g/c",
    "modified /g/c",
    "created /g/d",
    "created /g/d/e",
    "deleted /g/d",
    "modified /g/d/e",
  ]);
});

Deno.test("a symlink the parent's broker refuses is a denial naming the broker", async () => {
  const box = await sandbox();
  const dirs: DirGrant[] = [{ host: box.ws, guest: "/ws", access: "read-write" }];
  const { host, report, put } = hostWith(dirs, { symlink: () => "EPERM" });
  const t = put(1024, "data.txt");
  const p = put(2048, "link");
  assertEquals(host.imports.path_symlink(1024, t, 3, 2048, p), E.PERM);
  const { denials } = report.denials.data();
  assertEquals(denials, [{
    call: "path_symlink",
    path: "/ws/link",
    errno: "EPERM",
    rule: "symlink_broker",
    reason: "the parent's symlink broker refused it (EPERM)",
  }]);
  // nothing was created, so the change log has nothing
  assertEquals((await report.data(() => null)).changes, []);
});

Deno.test("a file swapped for a symlink between check and open is an identity_check denial", async () => {
  const box = await sandbox();
  const dirs: DirGrant[] = [{ host: box.ws, guest: "/ws", access: "read-write" }];
  const { host, report, put } = hostWith(dirs);
  const real = Deno.openSync;
  Object.defineProperty(Deno, "openSync", {
    value: (path: string | URL, options?: Deno.OpenOptions) => {
      Deno.renameSync(`${box.ws}/data.txt`, `${box.ws}/data-old.txt`);
      Deno.symlinkSync(`${box.secret}/s.txt`, `${box.ws}/data.txt`);
      return real(path, options);
    },
    configurable: true,
    writable: true,
  });
  let errno: number;
  try {
    const n = put(1024, "data.txt");
    errno = host.imports.path_open(3, 0, 1024, n, OFLAGS.TRUNC, BigInt(R.FD_WRITE), 0n, 0, 0);
  } finally {
    Object.defineProperty(Deno, "openSync", { value: real, configurable: true, writable: true });
  }
  assertEquals(errno, E.NOTCAPABLE);
  assertEquals(report.denials.data().denials.map((d) => [d.call, d.path, d.rule]), [
    ["path_open", "/ws/data.txt", "identity_check"],
  ]);
  assertEquals(await Deno.readTextFile(`${box.secret}/s.txt`), "TOP SECRET");
  assertEquals((await report.data(() => null)).changes, []);
});

Deno.test("the change log stops keeping changes when their paths would outgrow the result frame", async () => {
  const log = new ChangeLog([{ host: "/h", guest: "/g", access: "read-write" }]);
  const deep = "/h/" + "d/".repeat(100_000); // nested far past PATH_MAX, one name at a time
  for (let i = 0; i < 100; i++) log.created(`${deep}f${i}`, "file");
  const { changes, changes_dropped } = await log.data(() => null);
  assertEquals(changes.length + changes_dropped, 100);
  assertEquals(changes_dropped > 50, true);
  const bytes = changes.reduce((n, c) => n + c.host.length + c.guest.length, 0);
  assertEquals(bytes <= MAX_CHANGE_PATH_BYTES, true);
});
