// WASI preview1 conformance checks, through wasi-libc and through raw __wasi_* calls.
// Expects: preopen /w (read-write, empty) as fd 3, preopen /r (read-only) as fd 4 holding
// r.txt = "readonly\n"; argv = [prog, "first", "second arg"]; env CONF_A=1;
// stdin = "hello stdin". Prints "<name> ok" or "<name> FAIL ..." per check; exits 0.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
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

static int put(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int get(const char *path, char *buf, size_t len) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, len - 1);
  close(fd);
  if (n < 0) return -1;
  buf[n] = 0;
  return (int)n;
}

static int fails(int rc, int err) { return rc == -1 && errno == err; }

static void args_env(int argc, char **argv) {
  CHECK("args_count", argc == 3);
  CHECK("args_values", argc == 3 && !strcmp(argv[1], "first") && !strcmp(argv[2], "second arg"));
  __wasi_size_t count = 0, size = 0;
  CHECK("args_sizes_raw", __wasi_args_sizes_get(&count, &size) == 0 && count == 3 &&
                              size == strlen(argv[0]) + 1 + 6 + 11);
  CHECK("environ_value", getenv("CONF_A") && !strcmp(getenv("CONF_A"), "1"));
  CHECK("environ_no_host", getenv("HOME") == NULL && getenv("PATH") == NULL);
  CHECK("environ_sizes_raw", __wasi_environ_sizes_get(&count, &size) == 0 && count == 1 &&
                                 size == 9);
}

static void clocks_random(void) {
  __wasi_timestamp_t t1 = 0, t2 = 0, res = 0;
  CHECK("clock_realtime", __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t1) == 0 &&
                              t1 > 1600000000ull * 1000000000ull);
  CHECK("clock_monotonic", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1) == 0 &&
                               __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t2) == 0 &&
                               t2 >= t1);
  CHECK("clock_res", __wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res) == 0 && res > 0);
  WERR("clock_invalid", __wasi_clock_time_get(99, 1, &t1), __WASI_ERRNO_INVAL);
  unsigned char small[64] = {0};
  int nonzero = 0;
  CHECK("random_get", __wasi_random_get(small, sizeof small) == 0);
  for (size_t i = 0; i < sizeof small; i++) nonzero |= small[i];
  CHECK("random_nonzero", nonzero != 0);
  static unsigned char big[200000];
  CHECK("random_big", __wasi_random_get(big, sizeof big) == 0 && big[sizeof big - 1] | big[100000] | big[150000]);
  WERR("sched_yield", __wasi_sched_yield(), 0);
}

static void polling(void) {
  __wasi_timestamp_t before = 0, after = 0;
  __wasi_subscription_t sub;
  __wasi_event_t ev[2];
  __wasi_size_t n = 0;
  memset(&sub, 0, sizeof sub);
  sub.userdata = 42;
  sub.u.tag = __WASI_EVENTTYPE_CLOCK;
  sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub.u.u.clock.timeout = 20000000;  // 20 ms
  (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &before);
  __wasi_errno_t e = __wasi_poll_oneoff(&sub, ev, 1, &n);
  (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &after);
  CHECK("poll_clock", e == 0 && n == 1 && ev[0].userdata == 42 &&
                          ev[0].type == __WASI_EVENTTYPE_CLOCK && after - before >= 19000000);
  __wasi_subscription_t subs[2];
  memset(subs, 0, sizeof subs);
  subs[0].userdata = 1;
  subs[0].u.tag = __WASI_EVENTTYPE_FD_READ;
  subs[0].u.u.fd_read.file_descriptor = 0;
  subs[1].userdata = 2;
  subs[1].u.tag = __WASI_EVENTTYPE_CLOCK;
  subs[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  subs[1].u.u.clock.timeout = 5000000000ull;
  e = __wasi_poll_oneoff(subs, ev, 2, &n);
  CHECK("poll_stdin_ready", e == 0 && n == 1 && ev[0].userdata == 1 &&
                                ev[0].type == __WASI_EVENTTYPE_FD_READ &&
                                ev[0].fd_readwrite.nbytes == 11);
  WERR("poll_no_subscriptions", __wasi_poll_oneoff(subs, ev, 0, &n), __WASI_ERRNO_INVAL);
  struct timespec ts = {0, 5000000};
  CHECK("nanosleep", nanosleep(&ts, NULL) == 0);
}

static void stdio(void) {
  char buf[64];
  ssize_t n = read(0, buf, sizeof buf);
  CHECK("stdin_read", n == 11 && !memcmp(buf, "hello stdin", 11));
  CHECK("stdin_eof", read(0, buf, sizeof buf) == 0);
  __wasi_fdstat_t st;
  CHECK("stdout_fdstat", __wasi_fd_fdstat_get(1, &st) == 0 &&
                             (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) &&
                             !(st.fs_rights_base & __WASI_RIGHTS_FD_SEEK));
  CHECK("stdout_not_tty", !isatty(1));
  CHECK("stdout_seek_espipe", fails((int)lseek(1, 0, SEEK_CUR), ESPIPE));
  CHECK("stderr_write", write(2, "", 0) == 0);
}

static void prestats(void) {
  __wasi_prestat_t ps;
  char name[16] = {0};
  CHECK("prestat_get", __wasi_fd_prestat_get(3, &ps) == 0 && ps.tag == __WASI_PREOPENTYPE_DIR &&
                           ps.u.dir.pr_name_len == 2);
  CHECK("prestat_dir_name", __wasi_fd_prestat_dir_name(3, (uint8_t *)name, 2) == 0 &&
                                !memcmp(name, "/w", 2));
  WERR("prestat_name_short_buffer", __wasi_fd_prestat_dir_name(3, (uint8_t *)name, 1),
       __WASI_ERRNO_NAMETOOLONG);
  WERR("prestat_unopened", __wasi_fd_prestat_get(77, &ps), __WASI_ERRNO_BADF);
  WERR("prestat_stdio", __wasi_fd_prestat_get(1, &ps), __WASI_ERRNO_BADF);
  __wasi_fdstat_t st;
  CHECK("preopen_is_dir", __wasi_fd_fdstat_get(3, &st) == 0 &&
                              st.fs_filetype == __WASI_FILETYPE_DIRECTORY);
}

static void file_io(void) {
  char buf[256];
  CHECK("write_read_roundtrip", put("/w/a.txt", "0123456789") == 0 && get("/w/a.txt", buf, sizeof buf) == 10 && !strcmp(buf, "0123456789"));
  int fd = open("/w/a.txt", O_RDONLY);
  CHECK("short_read_at_eof", read(fd, buf, 100) == 10 && read(fd, buf, 100) == 0);
  close(fd);

  fd = open("/w/v.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
  struct iovec out[3] = {{"ab", 2}, {"", 0}, {"cdefg", 5}};
  CHECK("writev_iovecs", writev(fd, out, 3) == 7);
  char p1[3], p2[1], p3[10];
  struct iovec in[3] = {{p1, 3}, {p2, 1}, {p3, 10}};
  lseek(fd, 0, SEEK_SET);
  CHECK("readv_iovecs", readv(fd, in, 3) == 7 && !memcmp(p1, "abc", 3) && p2[0] == 'd' && !memcmp(p3, "efg", 3));
  CHECK("lseek_end", lseek(fd, 0, SEEK_END) == 7);
  CHECK("lseek_cur", lseek(fd, -2, SEEK_CUR) == 5);
  CHECK("lseek_negative", fails((int)lseek(fd, -100, SEEK_SET), EINVAL));
  __wasi_filesize_t pos = 0;
  CHECK("fd_tell", __wasi_fd_tell(fd, &pos) == 0 && pos == 5);
  CHECK("pread_keeps_offset", pread(fd, buf, 2, 0) == 2 && !memcmp(buf, "ab", 2) && lseek(fd, 0, SEEK_CUR) == 5);
  CHECK("pwrite_keeps_offset", pwrite(fd, "XY", 2, 1) == 2 && lseek(fd, 0, SEEK_CUR) == 5);
  CHECK("pwrite_past_eof", pwrite(fd, "Z", 1, 20) == 1);
  struct stat st;
  fstat(fd, &st);
  CHECK("pwrite_hole_size", st.st_size == 21);
  CHECK("hole_reads_zero", pread(fd, buf, 3, 10) == 3 && buf[0] == 0 && buf[2] == 0);
  CHECK("ftruncate_down", ftruncate(fd, 4) == 0 && fstat(fd, &st) == 0 && st.st_size == 4);
  CHECK("ftruncate_up", ftruncate(fd, 8) == 0 && pread(fd, buf, 8, 0) == 8 && buf[5] == 0 && !memcmp(buf, "aXYd", 4));
  CHECK("fstat_regular", fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1);
  CHECK("fd_allocate", __wasi_fd_allocate(fd, 0, 100) == 0 && fstat(fd, &st) == 0 && st.st_size == 100);
  CHECK("fd_advise", posix_fadvise(fd, 0, 10, POSIX_FADV_SEQUENTIAL) == 0);
  WERR("fd_advise_invalid", __wasi_fd_advise(fd, 0, 10, 99), __WASI_ERRNO_INVAL);
  CHECK("fsync", fsync(fd) == 0);
  CHECK("fdatasync", fdatasync(fd) == 0);
  struct timespec times[2] = {{1000000000, 0}, {1000000000, 0}};
  CHECK("futimens", futimens(fd, times) == 0 && fstat(fd, &st) == 0 && st.st_mtim.tv_sec == 1000000000);
  close(fd);

  CHECK("o_trunc", put("/w/t.txt", "long content") == 0 && (fd = open("/w/t.txt", O_WRONLY | O_TRUNC)) >= 0 && fstat(fd, &st) == 0 && st.st_size == 0);
  close(fd);
  fd = open("/w/t.txt", O_WRONLY | O_TRUNC | O_APPEND);
  CHECK("o_trunc_append", fd >= 0);
  close(fd);
  int f1 = open("/w/log.txt", O_WRONLY | O_CREAT | O_APPEND, 0644);
  int f2 = open("/w/log.txt", O_WRONLY | O_APPEND);
  write(f1, "1", 1);
  write(f2, "2", 1);
  write(f1, "3", 1);
  close(f1);
  close(f2);
  CHECK("append_two_fds", get("/w/log.txt", buf, sizeof buf) == 3 && !strcmp(buf, "123"));
  __wasi_fdstat_t fst;
  fd = open("/w/log.txt", O_WRONLY | O_APPEND);
  CHECK("fdstat_append_flag", __wasi_fd_fdstat_get(fd, &fst) == 0 && (fst.fs_flags & __WASI_FDFLAGS_APPEND));
  close(fd);
  fd = open("/w/log.txt", O_WRONLY);
  CHECK("set_flags_append", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND) == 0 && write(fd, "4", 1) == 1);
  close(fd);
  CHECK("set_flags_append_effect", get("/w/log.txt", buf, sizeof buf) == 4 && !strcmp(buf, "1234"));
  CHECK("o_excl_existing", fails(open("/w/log.txt", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST));
  fd = open("/w/log.txt", O_RDONLY);
  CHECK("write_on_rdonly", fails((int)write(fd, "x", 1), EBADF));
  close(fd);
  fd = open("/w/log.txt", O_WRONLY);
  CHECK("read_on_wronly", fails((int)read(fd, buf, 1), EBADF));
  CHECK("close_twice", close(fd) == 0 && fails(close(fd), EBADF));
  CHECK("read_bad_fd", fails((int)read(99, buf, 1), EBADF));

  fd = open("/w/log.txt", O_RDWR);
  __wasi_fdstat_t orig;
  (void)__wasi_fd_fdstat_get(fd, &orig);
  CHECK("set_rights_narrow", __wasi_fd_fdstat_set_rights(fd, orig.fs_rights_base & ~__WASI_RIGHTS_FD_READ, 0) == 0 && fails((int)read(fd, buf, 1), EBADF));
  WERR("set_rights_widen", __wasi_fd_fdstat_set_rights(fd, orig.fs_rights_base, 0), __WASI_ERRNO_NOTCAPABLE);
  close(fd);

  int a = open("/w/a.txt", O_RDONLY);
  int b = open("/w/log.txt", O_RDONLY);
  CHECK("fd_renumber", __wasi_fd_renumber(a, b) == 0 && read(b, buf, 2) == 2 && !memcmp(buf, "01", 2) && fails((int)read(a, buf, 1), EBADF));
  WERR("fd_renumber_bad", __wasi_fd_renumber(b, 98), __WASI_ERRNO_BADF);
  close(b);
}

static void large_file(void) {
  int fd = open("/w/big.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
  off_t five = 5LL * 1024 * 1024 * 1024;
  char c = 0;
  struct stat st;
  CHECK("large_pwrite_5gib", pwrite(fd, "!", 1, five) == 1);
  CHECK("large_size", fstat(fd, &st) == 0 && st.st_size == five + 1);
  CHECK("large_pread", pread(fd, &c, 1, five) == 1 && c == '!');
  CHECK("large_lseek", lseek(fd, five, SEEK_SET) == five && read(fd, &c, 1) == 1 && c == '!');
  CHECK("large_truncate", ftruncate(fd, 4LL * 1024 * 1024 * 1024 + 7) == 0 && fstat(fd, &st) == 0 && st.st_size == 4LL * 1024 * 1024 * 1024 + 7);
  close(fd);
  unlink("/w/big.bin");
}

static int seen(const char *dir, const char *name, unsigned char type) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int found = 0;
  while (d && (e = readdir(d)))
    if (!strcmp(e->d_name, name) && (type == 255 || e->d_type == type)) found++;
  if (d) closedir(d);
  return found;
}

static void directories(void) {
  struct stat st;
  char buf[64];
  CHECK("mkdir", mkdir("/w/d", 0755) == 0 && stat("/w/d", &st) == 0 && S_ISDIR(st.st_mode));
  CHECK("mkdir_exists", fails(mkdir("/w/d", 0755), EEXIST));
  CHECK("mkdir_trailing_slash", mkdir("/w/d2/", 0755) == 0);
  CHECK("mkdir_missing_parent", fails(mkdir("/w/nope/x", 0755), ENOENT));
  put("/w/d/f.txt", "f");
  CHECK("rmdir_not_empty", fails(rmdir("/w/d"), ENOTEMPTY));
  CHECK("rmdir_file", fails(rmdir("/w/d/f.txt"), ENOTDIR));
  CHECK("unlink_dir", fails(unlink("/w/d"), EISDIR));
  CHECK("readdir_dot_entries", seen("/w/d", ".", DT_DIR) == 1 && seen("/w/d", "..", DT_DIR) == 1);
  CHECK("readdir_types", seen("/w/d", "f.txt", DT_REG) == 1 && seen("/w", "d", DT_DIR) == 1);
  mkdir("/w/many", 0755);
  char name[64];
  for (int i = 0; i < 300; i++) {
    snprintf(name, sizeof name, "/w/many/entry-with-a-longish-name-%03d", i);
    put(name, "");
  }
  DIR *d = opendir("/w/many");
  int count = 0;
  struct dirent *e;
  while ((e = readdir(d))) count++;
  CHECK("readdir_many_cookies", count == 302);
  rewinddir(d);
  count = 0;
  while ((e = readdir(d))) count++;
  CHECK("rewinddir", count == 302);
  closedir(d);
  CHECK("readdir_inode_matches_stat", ({
          int ok = 0;
          DIR *dd = opendir("/w/d");
          struct dirent *x;
          while (dd && (x = readdir(dd)))
            if (!strcmp(x->d_name, "f.txt") && stat("/w/d/f.txt", &st) == 0) ok = x->d_ino == st.st_ino;
          if (dd) closedir(dd);
          ok;
        }));
  int fd = open("/w/d", O_RDONLY);
  CHECK("open_dir_rdonly", fd >= 0);
  close(fd);
  CHECK("open_dir_wronly", fails(open("/w/d", O_WRONLY), EISDIR));
  CHECK("open_trailing_slash_file", fails(open("/w/d/f.txt/", O_RDONLY), ENOTDIR));
  CHECK("open_through_file", fails(open("/w/d/f.txt/x", O_RDONLY), ENOTDIR));
  CHECK("open_missing", fails(open("/w/missing.txt", O_RDONLY), ENOENT));
  CHECK("open_missing_parent", fails(open("/w/no/dir/x", O_WRONLY | O_CREAT, 0644), ENOENT));
  CHECK("o_directory_on_file", fails(open("/w/d/f.txt", O_RDONLY | O_DIRECTORY), ENOTDIR));
  CHECK("stat_preopen_root", stat("/w", &st) == 0 && S_ISDIR(st.st_mode));
  CHECK("get_dot_dot_inside", get("/w/d/../d/f.txt", buf, sizeof buf) == 1);
  CHECK("chdir_relative", chdir("/w/d") == 0 && get("f.txt", buf, sizeof buf) == 1);
  chdir("/w");
}

static void renames_links(void) {
  char buf[128];
  struct stat st, st2;
  put("/w/r1", "one");
  put("/w/r2", "two");
  CHECK("rename_replaces", rename("/w/r1", "/w/r2") == 0 && get("/w/r2", buf, sizeof buf) == 3 && !strcmp(buf, "one") && fails(stat("/w/r1", &st), ENOENT));
  mkdir("/w/ra", 0755);
  mkdir("/w/rb", 0755);
  CHECK("rename_dir_over_empty_dir", rename("/w/ra", "/w/rb") == 0);
  mkdir("/w/rc", 0755);
  put("/w/rb/x", "x");
  CHECK("rename_dir_over_nonempty", fails(rename("/w/rc", "/w/rb"), ENOTEMPTY));
  CHECK("rename_file_onto_dir", fails(rename("/w/r2", "/w/rc"), EISDIR));
  CHECK("rename_dir_onto_file", fails(rename("/w/rc", "/w/r2"), ENOTDIR));
  CHECK("rename_into_own_subdir", fails(rename("/w/rb", "/w/rb/inner"), EINVAL));
  CHECK("rename_missing", fails(rename("/w/none", "/w/none2"), ENOENT));
  CHECK("link_creates", link("/w/r2", "/w/r2-hard") == 0 && stat("/w/r2", &st) == 0 && st.st_nlink == 2);
  CHECK("link_same_inode", stat("/w/r2-hard", &st2) == 0 && st.st_ino == st2.st_ino);
  CHECK("distinct_inodes", stat("/w/log.txt", &st2) == 0 && st.st_ino != st2.st_ino);
  CHECK("link_existing", fails(link("/w/r2", "/w/r2-hard"), EEXIST));
  CHECK("link_dir", fails(link("/w/rc", "/w/rc-hard"), EPERM));
  CHECK("symlink_readlink", symlink("r2", "/w/sl") == 0 && readlink("/w/sl", buf, sizeof buf) == 2 && !memcmp(buf, "r2", 2));
  CHECK("readlink_truncates", readlink("/w/sl", buf, 1) == 1 && buf[0] == 'r');
  CHECK("readlink_not_link", fails((int)readlink("/w/r2", buf, sizeof buf), EINVAL));
  CHECK("symlink_existing", fails(symlink("x", "/w/sl"), EEXIST));
  CHECK("stat_follows", stat("/w/sl", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 3);
  CHECK("lstat_no_follow", lstat("/w/sl", &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 2);
  __wasi_filestat_t fs;
  CHECK("path_filestat_nofollow_raw", __wasi_path_filestat_get(3, 0, "sl", &fs) == 0 && fs.filetype == __WASI_FILETYPE_SYMBOLIC_LINK);
  CHECK("open_nofollow_symlink", fails(open("/w/sl", O_RDONLY | O_NOFOLLOW), ELOOP));
  CHECK("open_via_symlink", get("/w/sl", buf, sizeof buf) == 3);
  symlink("dangling-target", "/w/dangle");
  CHECK("creat_excl_dangling", fails(open("/w/dangle", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST) && fails(stat("/w/dangling-target", &st), ENOENT));
  CHECK("unlink_symlink_only", unlink("/w/sl") == 0 && stat("/w/r2", &st) == 0);
  symlink("loop-b", "/w/loop-a");
  symlink("loop-a", "/w/loop-b");
  CHECK("symlink_loop", fails(open("/w/loop-a", O_RDONLY), ELOOP));
  CHECK("symlink_dir_traverse", symlink("rb", "/w/to-rb") == 0 && get("/w/to-rb/x", buf, sizeof buf) == 1);
  struct timespec ts[2] = {{1200000000, 0}, {1300000000, 0}};
  CHECK("utimensat_path", utimensat(AT_FDCWD, "/w/r2", ts, 0) == 0 && stat("/w/r2", &st) == 0 && st.st_mtim.tv_sec == 1300000000 && st.st_atim.tv_sec == 1200000000);
}

static void confinement_raw(void) {
  __wasi_fd_t fd;
  WERR("raw_absolute_path", __wasi_path_open(3, 0, "/etc/passwd", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), __WASI_ERRNO_NOTCAPABLE);
  WERR("raw_dotdot_escape", __wasi_path_open(3, 0, "../x", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), __WASI_ERRNO_NOTCAPABLE);
  WERR("raw_empty_path", __wasi_path_open(3, 0, "", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), __WASI_ERRNO_NOENT);
  WERR("raw_open_on_file_fd", __wasi_path_open(1, 0, "x", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), __WASI_ERRNO_NOTDIR);
  CHECK("ro_read", ({ char b[32]; get("/r/r.txt", b, sizeof b) == 9; }));
  CHECK("ro_open_rdwr", fails(open("/r/r.txt", O_RDWR), EROFS));
  CHECK("ro_mkdir", fails(mkdir("/r/new", 0755), EROFS));
  CHECK("ro_unlink", fails(unlink("/r/r.txt"), EROFS));
  __wasi_fd_t sub;
  __wasi_errno_t e = __wasi_path_open(3, 0, "d", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_FD_READDIR, __WASI_RIGHTS_FD_READ, 0, &sub);
  CHECK("subdir_open_narrow", e == 0);
  WERR("inherit_rights_exceeded", __wasi_path_open(sub, 0, "f.txt", 0, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd), __WASI_ERRNO_NOTCAPABLE);
  CHECK("inherit_rights_ok", __wasi_path_open(sub, 0, "f.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd) == 0 && __wasi_fd_close(fd) == 0);
  WERR("subdir_is_own_root", __wasi_path_open(sub, 0, "../log.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), __WASI_ERRNO_NOTCAPABLE);
  WERR("subdir_no_create_right", __wasi_path_create_directory(sub, "x"), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(sub);
}

static void sockets(void) {
  __wasi_fd_t fd;
  __wasi_size_t n;
  __wasi_roflags_t ro;
  char b[4];
  __wasi_iovec_t iov = {(uint8_t *)b, sizeof b};
  __wasi_ciovec_t ciov = {(const uint8_t *)b, sizeof b};
  WERR("sock_accept_not_socket", __wasi_sock_accept(3, 0, &fd), __WASI_ERRNO_NOTSOCK);
  WERR("sock_accept_bad_fd", __wasi_sock_accept(90, 0, &fd), __WASI_ERRNO_BADF);
  WERR("sock_recv_not_socket", __wasi_sock_recv(1, &iov, 1, 0, &n, &ro), __WASI_ERRNO_NOTSOCK);
  WERR("sock_send_not_socket", __wasi_sock_send(1, &ciov, 1, 0, &n), __WASI_ERRNO_NOTSOCK);
  WERR("sock_shutdown_not_socket", __wasi_sock_shutdown(1, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  args_env(argc, argv);
  clocks_random();
  polling();
  stdio();
  prestats();
  file_io();
  large_file();
  directories();
  renames_links();
  confinement_raw();
  sockets();
  printf("done\n");
  return 0;
}
