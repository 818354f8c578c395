// One group of checks per WASI conformance cause (issue 13), selected by argv[1]:
// rights, trunc, times, lutimes, poll, sync, append, cputime, suite.
// Expects preopen /w (read-write, empty) as fd 3 and preopen /r (read-only) as fd 4 holding
// r.txt; the poll group expects stdin = "abc". Prints "<name> ok" or "<name> FAIL ..." per check.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#define CHECK(name, cond)                                                   \
  do {                                                                      \
    if (cond) printf("%s ok\n", name);                                      \
    else printf("%s FAIL line %d errno %d\n", name, __LINE__, errno);       \
  } while (0)

#define WERR(name, expr, want)                                              \
  do {                                                                      \
    __wasi_errno_t got_ = (expr);                                           \
    if (got_ == (want)) printf("%s ok\n", name);                            \
    else printf("%s FAIL got errno %d want %d\n", name, got_, (int)(want)); \
  } while (0)

#define R(x) __WASI_RIGHTS_##x

// wasmtime's preview1 rights for a preopened directory (base) and what it hands on.
static const __wasi_rights_t WASMTIME_PREOPEN_BASE =
    R(PATH_CREATE_DIRECTORY) | R(PATH_CREATE_FILE) | R(PATH_LINK_SOURCE) | R(PATH_LINK_TARGET) |
    R(PATH_OPEN) | R(FD_READDIR) | R(PATH_READLINK) | R(PATH_RENAME_SOURCE) |
    R(PATH_RENAME_TARGET) | R(PATH_SYMLINK) | R(PATH_REMOVE_DIRECTORY) | R(PATH_UNLINK_FILE) |
    R(PATH_FILESTAT_GET) | R(PATH_FILESTAT_SET_TIMES) | R(FD_FILESTAT_GET) |
    R(FD_FILESTAT_SET_TIMES);
static const __wasi_rights_t FILE_SET =
    R(FD_DATASYNC) | R(FD_READ) | R(FD_SEEK) | R(FD_FDSTAT_SET_FLAGS) | R(FD_SYNC) | R(FD_TELL) |
    R(FD_WRITE) | R(FD_ADVISE) | R(FD_ALLOCATE) | R(FD_FILESTAT_GET) | R(FD_FILESTAT_SET_SIZE) |
    R(FD_FILESTAT_SET_TIMES) | R(POLL_FD_READWRITE);

static __wasi_fdstat_t fdstat(__wasi_fd_t fd) {
  __wasi_fdstat_t st;
  memset(&st, 0xff, sizeof st);
  if (__wasi_fd_fdstat_get(fd, &st) != 0) memset(&st, 0, sizeof st);
  return st;
}

static int put(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

static long size_of(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void rights(void) {
  __wasi_fdstat_t pre = fdstat(3);
  __wasi_fd_t d = 0, f = 0;
  // What a Rust program built on the `wasi` crate does to open its working directory.
  __wasi_errno_t e = __wasi_path_open(3, 0, ".", __WASI_OFLAGS_DIRECTORY, pre.fs_rights_base,
                                      pre.fs_rights_inheriting, 0, &d);
  WERR("reopen_dot_own_rights", e, 0);
  __wasi_fdstat_t st = fdstat(d);
  CHECK("reopen_dot_keeps_rights", e == 0 && st.fs_filetype == __WASI_FILETYPE_DIRECTORY &&
                                       st.fs_rights_base == pre.fs_rights_base &&
                                       st.fs_rights_inheriting == pre.fs_rights_inheriting);
  CHECK("reopen_dot_usable",
        __wasi_path_open(d, 0, "made.txt", __WASI_OFLAGS_CREAT, R(FD_WRITE), 0, 0, &f) == 0 &&
            __wasi_fd_close(f) == 0 && size_of("/w/made.txt") == 0);
  (void)__wasi_fd_close(d);
  e = __wasi_path_open(3, 0, ".", __WASI_OFLAGS_DIRECTORY,
                       pre.fs_rights_base | R(FD_READ) | R(FD_SEEK) | R(FD_TELL), 0, 0, &d);
  st = fdstat(d);
  CHECK("dir_file_rights_masked", e == 0 && st.fs_rights_base == pre.fs_rights_base);
  (void)__wasi_fd_close(d);
  e = __wasi_path_open(3, 0, ".", 0, R(FD_DATASYNC) | R(FD_READ) | R(FD_READDIR), 0, 0, &d);
  CHECK("dir_datasync_is_not_write", e == 0 && fdstat(d).fs_filetype == __WASI_FILETYPE_DIRECTORY);
  (void)__wasi_fd_close(d);
  WERR("dir_fd_write_eisdir", __wasi_path_open(3, 0, ".", 0, R(FD_WRITE), 0, 0, &d),
       __WASI_ERRNO_ISDIR);
  WERR("dir_trunc_eisdir",
       __wasi_path_open(3, 0, ".", __WASI_OFLAGS_TRUNC, R(FD_READ), 0, 0, &d), __WASI_ERRNO_ISDIR);
  WERR("ro_grant_datasync_read_open",
       __wasi_path_open(4, 0, "r.txt", 0, R(FD_READ) | R(FD_DATASYNC), 0, 0, &f), 0);
  (void)__wasi_fd_close(f);
  CHECK("preopen_covers_wasmtime_base",
        (pre.fs_rights_base & WASMTIME_PREOPEN_BASE) == WASMTIME_PREOPEN_BASE &&
            !(pre.fs_rights_base & (R(FD_READ) | R(FD_WRITE) | R(FD_SEEK) | R(FD_DATASYNC))));
  CHECK("preopen_hands_on_file_rights",
        (pre.fs_rights_inheriting & (WASMTIME_PREOPEN_BASE | FILE_SET)) ==
                (WASMTIME_PREOPEN_BASE | FILE_SET) &&
            !(pre.fs_rights_inheriting & (R(SOCK_ACCEPT) | R(SOCK_SHUTDOWN))));
  e = __wasi_path_open(3, 0, "made.txt", 0, pre.fs_rights_inheriting, 0, 0, &f);
  st = fdstat(f);
  CHECK("file_gets_file_rights", e == 0 && st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE &&
                                     st.fs_rights_base == FILE_SET);
  (void)__wasi_fd_close(f);
  e = __wasi_path_open(3, 0, "made.txt", 0, R(FD_READ) | R(FD_FILESTAT_SET_SIZE), 0, 0, &f);
  CHECK("read_open_cannot_resize",
        e == 0 && !(fdstat(f).fs_rights_base & R(FD_FILESTAT_SET_SIZE)) &&
            __wasi_fd_filestat_set_size(f, 5) == __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(f);
  __wasi_fdstat_t in = fdstat(0), out = fdstat(1);
  CHECK("stdio_rights", (in.fs_rights_base & R(FD_READ)) && !(in.fs_rights_base & R(FD_WRITE)) &&
                            (out.fs_rights_base & R(FD_WRITE)) &&
                            !(out.fs_rights_base & R(FD_READ)));
}

static void trunc(void) {
  __wasi_fdstat_t pre = fdstat(3);
  __wasi_fd_t d = 0, f = 0;
  put("/w/t.txt", "keep me");
  __wasi_errno_t e = __wasi_path_open(3, 0, ".", __WASI_OFLAGS_DIRECTORY,
                                      pre.fs_rights_base & ~R(PATH_FILESTAT_SET_SIZE),
                                      pre.fs_rights_inheriting, 0, &d);
  WERR("trunc_narrowed_open", e, 0);
  WERR("trunc_needs_path_filestat_set_size",
       __wasi_path_open(d, 0, "t.txt", __WASI_OFLAGS_TRUNC, R(FD_WRITE), 0, 0, &f),
       __WASI_ERRNO_NOTCAPABLE);
  CHECK("trunc_refused_leaves_file", size_of("/w/t.txt") == 7);
  (void)__wasi_fd_close(d);
  CHECK("trunc_with_right",
        __wasi_path_open(3, 0, "t.txt", __WASI_OFLAGS_TRUNC, R(FD_WRITE), 0, 0, &f) == 0 &&
            __wasi_fd_close(f) == 0 && size_of("/w/t.txt") == 0);
}

static int same_ts(struct timespec a, long sec, long nsec) {
  return a.tv_sec == sec && a.tv_nsec == nsec;
}

static void times(void) {
  struct stat st;
  put("/w/n.txt", "x");
  struct timespec ts[2] = {{1000000001, 123456789}, {1700000000, 987654321}};
  CHECK("ns_times_path", utimensat(AT_FDCWD, "/w/n.txt", ts, 0) == 0 &&
                             stat("/w/n.txt", &st) == 0 &&
                             same_ts(st.st_atim, 1000000001, 123456789) &&
                             same_ts(st.st_mtim, 1700000000, 987654321));
  int fd = open("/w/n.txt", O_RDWR);
  struct timespec ts2[2] = {{1100000000, 1}, {1200000000, 999999999}};
  CHECK("ns_times_fd", futimens(fd, ts2) == 0 && fstat(fd, &st) == 0 &&
                           same_ts(st.st_atim, 1100000000, 1) &&
                           same_ts(st.st_mtim, 1200000000, 999999999));
  struct timespec omit[2] = {{0, UTIME_OMIT}, {1300000000, 5}};
  CHECK("ns_times_omit_keeps_other", futimens(fd, omit) == 0 && fstat(fd, &st) == 0 &&
                                         same_ts(st.st_atim, 1100000000, 1) &&
                                         same_ts(st.st_mtim, 1300000000, 5));
  CHECK("ns_times_dir", mkdir("/w/nd", 0755) == 0 && utimensat(AT_FDCWD, "/w/nd", ts, 0) == 0 &&
                            stat("/w/nd", &st) == 0 &&
                            same_ts(st.st_mtim, 1700000000, 987654321));
  CHECK("ns_times_forgotten_after_write",
        write(fd, "more", 4) == 4 && fstat(fd, &st) == 0 && st.st_mtim.tv_sec > 1600000000 &&
            st.st_mtim.tv_nsec % 1000000 == 0);
  close(fd);
}

static void lutimes(void) {
  struct stat st, target;
  put("/w/target.txt", "t");
  stat("/w/target.txt", &target);
  struct timespec ts[2] = {{1000000000, 0}, {1000000002, 500000000}};
  CHECK("lutimes_symlink_made", symlink("target.txt", "/w/ln") == 0);
  CHECK("lutimes_link_itself",
        utimensat(AT_FDCWD, "/w/ln", ts, AT_SYMLINK_NOFOLLOW) == 0 &&
            lstat("/w/ln", &st) == 0 && S_ISLNK(st.st_mode) &&
            same_ts(st.st_mtim, 1000000002, 500000000));
  struct stat after;
  CHECK("lutimes_target_untouched",
        stat("/w/target.txt", &after) == 0 && after.st_mtim.tv_sec == target.st_mtim.tv_sec &&
            after.st_mtim.tv_nsec == target.st_mtim.tv_nsec);
  CHECK("lutimes_dangling", symlink("nowhere", "/w/dangling") == 0 &&
                                utimensat(AT_FDCWD, "/w/dangling", ts, AT_SYMLINK_NOFOLLOW) == 0 &&
                                lstat("/w/dangling", &st) == 0 &&
                                same_ts(st.st_mtim, 1000000002, 500000000));
  CHECK("utimens_follow_still_follows",
        utimensat(AT_FDCWD, "/w/ln", ts, 0) == 0 && stat("/w/target.txt", &st) == 0 &&
            same_ts(st.st_mtim, 1000000002, 500000000));
}

static int poll_one(__wasi_subscription_t *sub, __wasi_event_t *ev) {
  __wasi_size_t n = 0;
  __wasi_errno_t e = __wasi_poll_oneoff(sub, ev, 1, &n);
  return e != 0 ? -(int)e : (int)n;
}

static void poll(void) {
  __wasi_subscription_t sub;
  __wasi_event_t ev;
  memset(&sub, 0, sizeof sub);
  sub.userdata = 7;
  sub.u.tag = __WASI_EVENTTYPE_FD_READ;
  sub.u.u.fd_read.file_descriptor = 0;
  CHECK("poll_stdin_data", poll_one(&sub, &ev) == 1 && ev.error == 0 &&
                               ev.fd_readwrite.nbytes == 3 && ev.fd_readwrite.flags == 0);
  char buf[8];
  CHECK("poll_stdin_drained", read(0, buf, sizeof buf) == 3 && read(0, buf, sizeof buf) == 0);
  memset(&ev, 0, sizeof ev);
  CHECK("poll_stdin_eof_hangup",
        poll_one(&sub, &ev) == 1 && ev.userdata == 7 && ev.error == 0 &&
            ev.type == __WASI_EVENTTYPE_FD_READ && ev.fd_readwrite.nbytes == 0 &&
            (ev.fd_readwrite.flags & __WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP));
}

static void cputime(void) {
  __wasi_subscription_t sub;
  __wasi_event_t ev;
  memset(&sub, 0, sizeof sub);
  sub.u.tag = __WASI_EVENTTYPE_CLOCK;
  sub.u.u.clock.timeout = 1000000;
  sub.u.u.clock.id = __WASI_CLOCKID_PROCESS_CPUTIME_ID;
  CHECK("poll_process_cputime_einval", poll_one(&sub, &ev) == -__WASI_ERRNO_INVAL);
  sub.u.u.clock.id = __WASI_CLOCKID_THREAD_CPUTIME_ID;
  CHECK("poll_thread_cputime_einval", poll_one(&sub, &ev) == -__WASI_ERRNO_INVAL);
  sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  CHECK("poll_monotonic_still_works", poll_one(&sub, &ev) == 1 && ev.error == 0);
}

static void sync_flags(void) {
  int fd = open("/w/s.txt", O_WRONLY | O_CREAT | O_TRUNC | O_SYNC, 0644);
  __wasi_fdstat_t st = fdstat(fd);
  CHECK("o_sync_reported", fd >= 0 && (st.fs_flags & __WASI_FDFLAGS_SYNC));
  CHECK("o_sync_write", write(fd, "abc", 3) == 3 && pwrite(fd, "d", 1, 3) == 1);
  int fl = fcntl(fd, F_GETFL);
  CHECK("o_sync_survives_setfl", fcntl(fd, F_SETFL, fl | O_APPEND) == 0 &&
                                     (fdstat(fd).fs_flags & __WASI_FDFLAGS_SYNC) &&
                                     (fdstat(fd).fs_flags & __WASI_FDFLAGS_APPEND));
  close(fd);
  fd = open("/w/s.txt", O_WRONLY | O_DSYNC);
  CHECK("o_dsync_reported", fd >= 0 && (fdstat(fd).fs_flags & __WASI_FDFLAGS_DSYNC) &&
                                write(fd, "e", 1) == 1);
  close(fd);
  fd = open("/w/s.txt", O_WRONLY);
  CHECK("set_flags_dsync", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_DSYNC) == 0 &&
                               (fdstat(fd).fs_flags & __WASI_FDFLAGS_DSYNC) &&
                               write(fd, "f", 1) == 1);
  close(fd);
  __wasi_fdstat_t pre = fdstat(3);
  __wasi_fd_t d = 0, f = 0;
  (void)__wasi_path_open(3, 0, ".", __WASI_OFLAGS_DIRECTORY, pre.fs_rights_base,
                   pre.fs_rights_inheriting & ~(R(FD_SYNC) | R(FD_DATASYNC)), 0, &d);
  WERR("sync_needs_fd_sync_right",
       __wasi_path_open(d, 0, "s.txt", 0, R(FD_WRITE), 0, __WASI_FDFLAGS_SYNC, &f),
       __WASI_ERRNO_NOTCAPABLE);
  WERR("dsync_needs_a_sync_right",
       __wasi_path_open(d, 0, "s.txt", 0, R(FD_WRITE), 0, __WASI_FDFLAGS_DSYNC, &f),
       __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(d);
}

static void append(void) {
  int fd = open("/w/a.txt", O_RDWR | O_CREAT | O_TRUNC | O_APPEND, 0644);
  char buf[16] = {0};
  CHECK("append_write", write(fd, "abc", 3) == 3);
  off_t before = lseek(fd, 0, SEEK_CUR);
  CHECK("pwrite_append_appends", pwrite(fd, "X", 1, 0) == 1 && pread(fd, buf, 8, 0) == 4 &&
                                     !memcmp(buf, "abcX", 4));
  CHECK("pwrite_append_keeps_offset", lseek(fd, 0, SEEK_CUR) == before);
  close(fd);
}

static __wasi_filestat_t pstat(__wasi_fd_t dir, int follow, const char *path) {
  __wasi_filestat_t st;
  memset(&st, 0, sizeof st);
  if (__wasi_path_filestat_get(dir, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, &st) != 0)
    st.filetype = 255;
  return st;
}

// The call sequences of the official WASI test suite's programs (written anew here): a scratch
// directory reopened with its own rights, a work directory opened with path rights and a
// narrower inheriting set, truncation rights dropped one by one, times moved by nanoseconds.
static void suite(void) {
  __wasi_fdstat_t pre = fdstat(3);
  __wasi_fd_t root = 0, tmp = 0, f = 0;
  WERR("suite_root_reopen", __wasi_path_open(3, 0, ".", __WASI_OFLAGS_DIRECTORY,
                                             pre.fs_rights_base, pre.fs_rights_inheriting, 0,
                                             &root), 0);
  WERR("suite_tmp_mkdir", __wasi_path_create_directory(root, "tmp.cleanup"), 0);
  __wasi_rights_t tmp_base = R(FD_FILESTAT_GET) | R(FD_READDIR) | R(PATH_CREATE_FILE) |
                             R(PATH_CREATE_DIRECTORY) | R(PATH_REMOVE_DIRECTORY) | R(PATH_OPEN) |
                             R(PATH_UNLINK_FILE) | R(PATH_LINK_SOURCE) | R(PATH_LINK_TARGET) |
                             R(PATH_READLINK) | R(PATH_RENAME_SOURCE) | R(PATH_RENAME_TARGET) |
                             R(PATH_FILESTAT_GET) | R(PATH_FILESTAT_SET_SIZE) |
                             R(PATH_FILESTAT_SET_TIMES) | R(PATH_SYMLINK);
  __wasi_rights_t tmp_inh = R(FD_READ) | R(FD_WRITE) | R(FD_READDIR) | R(FD_FILESTAT_GET) |
                            R(FD_SEEK) | R(PATH_LINK_SOURCE) | R(PATH_LINK_TARGET) | R(PATH_OPEN) |
                            R(PATH_UNLINK_FILE) | R(PATH_FILESTAT_GET) | R(FD_FDSTAT_SET_FLAGS) |
                            R(FD_SYNC) | R(FD_TELL) | R(FD_ADVISE) | R(FD_ALLOCATE) |
                            R(FD_FILESTAT_SET_SIZE) | R(FD_FILESTAT_SET_TIMES);
  WERR("suite_tmp_open", __wasi_path_open(root, 0, "tmp.cleanup", __WASI_OFLAGS_DIRECTORY,
                                          tmp_base, tmp_inh, 0, &tmp), 0);
  __wasi_fdstat_t st = fdstat(tmp);
  CHECK("suite_tmp_rights", st.fs_rights_base == tmp_base && st.fs_rights_inheriting == tmp_inh &&
                                st.fs_flags == 0);
  CHECK("suite_create_empty", __wasi_path_open(tmp, 0, "file", __WASI_OFLAGS_CREAT, 0, 0, 0, &f) == 0 &&
                                  __wasi_fd_close(f) == 0);
  CHECK("suite_trunc_base0", __wasi_path_open(tmp, 0, "file", __WASI_OFLAGS_TRUNC, 0, 0, 0, &f) == 0 &&
                                 __wasi_fd_close(f) == 0);
  WERR("suite_drop_fd_set_size",
       __wasi_fd_fdstat_set_rights(tmp, tmp_base, tmp_inh & ~R(FD_FILESTAT_SET_SIZE)), 0);
  CHECK("suite_trunc_without_fd_set_size",
        __wasi_path_open(tmp, 0, "file", __WASI_OFLAGS_TRUNC, 0, 0, 0, &f) == 0 &&
            __wasi_fd_close(f) == 0);
  WERR("suite_drop_path_set_size",
       __wasi_fd_fdstat_set_rights(tmp, tmp_base & ~R(PATH_FILESTAT_SET_SIZE),
                                   tmp_inh & ~R(FD_FILESTAT_SET_SIZE)), 0);
  WERR("suite_trunc_refused", __wasi_path_open(tmp, 0, "file", __WASI_OFLAGS_TRUNC, 0, 0, 0, &f),
       __WASI_ERRNO_NOTCAPABLE);
  WERR("suite_unlink", __wasi_path_unlink_file(tmp, "file"), 0);
  (void)__wasi_fd_close(tmp);

  WERR("suite_tmp2_open", __wasi_path_open(root, 0, "tmp.cleanup", __WASI_OFLAGS_DIRECTORY,
                                           tmp_base, tmp_inh, 0, &tmp), 0);
  CHECK("suite_file_with_path_right",
        __wasi_path_open(tmp, 0, "file", __WASI_OFLAGS_CREAT,
                         R(FD_READ) | R(FD_WRITE) | R(PATH_FILESTAT_GET), 0, 0, &f) == 0);
  __wasi_filestat_t file0 = pstat(tmp, 0, "file");
  WERR("suite_symlink", __wasi_path_symlink("file", tmp, "symlink"), 0);
  __wasi_filestat_t link0 = pstat(tmp, 0, "symlink");
  WERR("suite_link_set_mtim",
       __wasi_path_filestat_set_times(tmp, 0, "symlink", 0, link0.mtim - 200, __WASI_FSTFLAGS_MTIM),
       0);
  CHECK("suite_link_mtim_exact", pstat(tmp, 0, "symlink").mtim == link0.mtim - 200 &&
                                     pstat(tmp, 0, "file").mtim == file0.mtim &&
                                     pstat(tmp, 1, "symlink").mtim == file0.mtim);
  WERR("suite_follow_set_mtim",
       __wasi_path_filestat_set_times(tmp, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "symlink", 0,
                                      link0.mtim, __WASI_FSTFLAGS_MTIM), 0);
  CHECK("suite_follow_mtim_exact", pstat(tmp, 0, "file").mtim == link0.mtim);
  (void)__wasi_fd_close(f);
  __wasi_filestat_t fs;
  CHECK("suite_fd_set_size", __wasi_path_open(tmp, 0, "sized", __WASI_OFLAGS_CREAT,
                                              R(FD_READ) | R(FD_WRITE) | R(FD_FILESTAT_GET) |
                                                  R(FD_FILESTAT_SET_SIZE) |
                                                  R(FD_FILESTAT_SET_TIMES), 0, 0, &f) == 0 &&
                                 __wasi_fd_filestat_set_size(f, 100) == 0 &&
                                 __wasi_fd_filestat_get(f, &fs) == 0 && fs.size == 100);
  __wasi_timestamp_t atim = fs.atim, mtim = fs.mtim - 100;
  CHECK("suite_fd_set_mtim_keeps_atim",
        __wasi_fd_filestat_set_times(f, mtim, mtim, __WASI_FSTFLAGS_MTIM) == 0 &&
            __wasi_fd_filestat_get(f, &fs) == 0 && fs.mtim == mtim && fs.atim == atim &&
            fs.size == 100);
  (void)__wasi_fd_close(f);
  (void)__wasi_path_unlink_file(tmp, "symlink");
  (void)__wasi_path_unlink_file(tmp, "file");
  (void)__wasi_path_unlink_file(tmp, "sized");
  (void)__wasi_fd_close(tmp);
  WERR("suite_cleanup", __wasi_path_remove_directory(root, "tmp.cleanup"), 0);
}

int main(int argc, char **argv) {
  const char *group = argc > 1 ? argv[1] : "";
  if (!strcmp(group, "rights")) rights();
  else if (!strcmp(group, "trunc")) trunc();
  else if (!strcmp(group, "times")) times();
  else if (!strcmp(group, "lutimes")) lutimes();
  else if (!strcmp(group, "poll")) poll();
  else if (!strcmp(group, "cputime")) cputime();
  else if (!strcmp(group, "sync")) sync_flags();
  else if (!strcmp(group, "append")) append();
  else if (!strcmp(group, "suite")) suite();
  else {
    printf("unknown group %s\n", group);
    return 2;
  }
  printf("done\n");
  return 0;
}
