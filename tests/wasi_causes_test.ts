/**
 * One test per WASI conformance cause of issue 13, each running tests/guests/wasi_causes.c
 * through the real CLI (walled child) with the group of checks for that cause.
 */
import { assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { lines, tree, wasp } from "./helpers/wasp.ts";
import { waspEngine } from "../src/engine/wasp.ts";
import { NO_PARENT, testRequest } from "./helpers/host.ts";
import { ownWorkingDirectory } from "./helpers/own_cwd.ts";

// this file enters directories with chdir in the test process: on its own thread's directory
ownWorkingDirectory();

/** Runs one group and returns the names of its checks, failing on any check that failed. */
async function group(name: string, stdin = "abc"): Promise<string[]> {
  const dir = await tree({ "w/": "", "r/r.txt": "read only\n", "stdin.txt": stdin });
  const r = await wasp([
    "run",
    await cGuest("wasi_causes"),
    "--allow-dir",
    `${dir}/w::/w`,
    "--allow-dir-ro",
    `${dir}/r::/r`,
    "--stdin",
    `${dir}/stdin.txt`,
    "--",
    name,
  ]);
  assertEquals(r.envelope.status, "success", r.envelope.error ?? r.envelope.stdout);
  const out = lines(r.envelope.stdout);
  assertEquals(out.filter((l) => !l.endsWith(" ok") && l !== "done"), []);
  assertEquals(out.at(-1), "done");
  assertEquals(await Deno.readTextFile(`${dir}/r/r.txt`), "read only\n");
  return out.slice(0, -1).map((l) => l.split(" ")[0]);
}

Deno.test("path_open reopens a directory with its own fdstat rights and masks the rest", async () => {
  assertEquals(await group("rights"), [
    "reopen_dot_own_rights",
    "reopen_dot_keeps_rights",
    "reopen_dot_usable",
    "dir_file_rights_masked",
    "dir_datasync_is_not_write",
    "dir_fd_write_eisdir",
    "dir_trunc_eisdir",
    "ro_grant_datasync_read_open",
    "preopen_covers_wasmtime_base",
    "preopen_hands_on_file_rights",
    "file_gets_file_rights",
    "read_open_cannot_resize",
    "stdio_rights",
  ]);
});

Deno.test("path_open with O_TRUNC needs PATH_FILESTAT_SET_SIZE on the directory", async () => {
  assertEquals(await group("trunc"), [
    "trunc_narrowed_open",
    "trunc_needs_path_filestat_set_size",
    "trunc_refused_leaves_file",
    "trunc_with_right",
  ]);
});

Deno.test("set_times round-trips the guest's nanoseconds until the file changes", async () => {
  assertEquals(await group("times"), [
    "ns_times_path",
    "ns_times_fd",
    "ns_times_omit_keeps_other",
    "ns_times_dir",
    "ns_times_forgotten_after_write",
  ]);
});

Deno.test("path_filestat_set_times without SYMLINK_FOLLOW changes the link's own times", async () => {
  assertEquals(await group("lutimes"), [
    "lutimes_symlink_made",
    "lutimes_link_itself",
    "lutimes_target_untouched",
    "lutimes_dangling",
    "utimens_follow_still_follows",
  ]);
});

Deno.test("poll_oneoff on stdin at EOF reports FD_READWRITE_HANGUP", async () => {
  assertEquals(await group("poll"), [
    "poll_stdin_data",
    "poll_stdin_drained",
    "poll_stdin_eof_hangup",
  ]);
});

Deno.test("poll_oneoff refuses a CPU-time clock subscription with EINVAL", async () => {
  assertEquals(await group("cputime"), [
    "poll_process_cputime_einval",
    "poll_thread_cputime_einval",
    "poll_monotonic_still_works",
  ]);
});

Deno.test("SYNC and DSYNC fdflags are accepted on path_open and fd_fdstat_set_flags alike", async () => {
  assertEquals(await group("sync"), [
    "o_sync_reported",
    "o_sync_write",
    "o_sync_survives_setfl",
    "o_dsync_reported",
    "set_flags_dsync",
    "sync_needs_fd_sync_right",
    "dsync_needs_a_sync_right",
  ]);
});

Deno.test("writes through SYNC and DSYNC fds reach the disk before they return", async () => {
  // In process, so that the host's sync calls can be counted on the real guest's run.
  const dir = await tree({ "w/": "" });
  const proto = Deno.FsFile.prototype;
  const real = { sync: proto.syncSync, data: proto.syncDataSync };
  const count = { sync: 0, data: 0 };
  proto.syncSync = function (this: Deno.FsFile) {
    count.sync++;
    return real.sync.call(this);
  };
  proto.syncDataSync = function (this: Deno.FsFile) {
    count.data++;
    return real.data.call(this);
  };
  let out = "";
  try {
    const modulePath = await cGuest("sync_writes");
    const request = testRequest([{ host: `${dir}/w`, guest: "/w", access: "read-write" }], {
      modulePath,
      module: await Deno.readFile(modulePath),
      moduleName: "sync_writes",
    });
    const outcome = await waspEngine.run(request, {
      ...NO_PARENT,
      output: (_fd, bytes) => void (out += new TextDecoder().decode(bytes)),
    });
    assertEquals(outcome, { kind: "exit", code: 0 });
  } finally {
    proto.syncSync = real.sync;
    proto.syncDataSync = real.data;
  }
  assertEquals(lines(out), ["sync 4", "dsync 2", "plain 4"]);
  assertEquals(count, { sync: 4, data: 2 });
  assertEquals(await Deno.readTextFile(`${dir}/w/sync.txt`), "yxx");
});

Deno.test("pwrite on an O_APPEND fd appends like Linux and wasmtime", async () => {
  assertEquals(await group("append"), [
    "append_write",
    "pwrite_append_appends",
    "pwrite_append_keeps_offset",
  ]);
});

Deno.test("the WASI test suite's scratch-directory, truncation-rights and times sequences pass", async () => {
  assertEquals(await group("suite"), [
    "suite_root_reopen",
    "suite_tmp_mkdir",
    "suite_tmp_open",
    "suite_tmp_rights",
    "suite_create_empty",
    "suite_trunc_base0",
    "suite_drop_fd_set_size",
    "suite_trunc_without_fd_set_size",
    "suite_drop_path_set_size",
    "suite_trunc_refused",
    "suite_unlink",
    "suite_tmp2_open",
    "suite_file_with_path_right",
    "suite_symlink",
    "suite_link_set_mtim",
    "suite_link_mtim_exact",
    "suite_follow_set_mtim",
    "suite_follow_mtim_exact",
    "suite_fd_set_size",
    "suite_fd_set_mtim_keeps_atim",
    "suite_cleanup",
  ]);
});
