// What C programs (through wasi-libc) and Rust std do most with files, printed so that the
// output of a wasm32-wasi build under wasp can be compared line for line with a native Linux
// build of this same file. argv[1] is an empty directory to work in (a guest path under wasp,
// a host path natively); nothing printed depends on it.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *ename(int e) {
  switch (e) {
    case 0: return "OK";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EPERM: return "EPERM";
    case EXDEV: return "EXDEV";
    default: return "E?";
  }
}

// Prints "label OK" or "label ENAME" for a call that returns -1 on failure.
#define TRY(label, call)                                             \
  do {                                                               \
    errno = 0;                                                       \
    long rc_ = (long)(call);                                         \
    printf("%s %s\n", label, rc_ < 0 ? ename(errno) : "OK");         \
  } while (0)

static const char *kind(mode_t m) {
  if (S_ISREG(m)) return "file";
  if (S_ISDIR(m)) return "dir";
  if (S_ISLNK(m)) return "link";
  return "other";
}

static void show(const char *label, const char *path, int follow) {
  struct stat st;
  int rc = follow ? stat(path, &st) : lstat(path, &st);
  if (rc < 0) {
    printf("%s %s\n", label, ename(errno));
    return;
  }
  printf("%s %s size=%lld nlink=%llu\n", label, kind(st.st_mode), (long long)st.st_size,
         (unsigned long long)st.st_nlink);
}

static void put(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) printf("put %s failed\n", path);
  if (fd >= 0) close(fd);
}

static void cat(const char *label, const char *path) {
  char buf[128];
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("%s %s\n", label, ename(errno));
    return;
  }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n < 0 ? 0 : n] = 0;
  for (ssize_t i = 0; i < n; i++) if (buf[i] == 0) buf[i] = '.';
  printf("%s \"%s\"\n", label, buf);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void listing(const char *label, const char *path) {
  DIR *d = opendir(path);
  if (!d) {
    printf("%s %s\n", label, ename(errno));
    return;
  }
  char *names[128];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 128) names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, n, sizeof names[0], by_name);
  printf("%s", label);
  for (int i = 0; i < n; i++) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

static void directories(void) {
  TRY("mkdir", mkdir("d", 0755));
  TRY("mkdir_again", mkdir("d", 0755));
  TRY("mkdir_nested_missing", mkdir("nope/x", 0755));
  int dfd = open("d", O_RDONLY | O_DIRECTORY);
  printf("open_dir %s\n", dfd >= 0 ? "OK" : ename(errno));
  struct stat st;
  TRY("fstat_dir", fstat(dfd, &st));
  printf("fstat_dir_kind %s\n", kind(st.st_mode));
  int f = openat(dfd, "in.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
  printf("openat_create %s\n", f >= 0 ? "OK" : ename(errno));
  TRY("openat_write", write(f, "inside", 6));
  close(f);
  TRY("openat_excl_again", openat(dfd, "in.txt", O_WRONLY | O_CREAT | O_EXCL, 0644));
  TRY("openat_dir_on_file", openat(dfd, "in.txt", O_RDONLY | O_DIRECTORY));
  TRY("open_dir_for_write", open("d", O_WRONLY));
  TRY("open_missing", open("missing.txt", O_RDONLY));
  TRY("open_under_file", open("d/in.txt/x", O_RDONLY));
  TRY("unlinkat_relative", unlinkat(dfd, "in.txt", 0));
  close(dfd);
  cat("cat_removed", "d/in.txt");
  TRY("chdir_into", chdir("d"));
  put("rel.txt", "relative");
  TRY("chdir_back", chdir(".."));
  cat("cat_relative", "d/rel.txt");
  show("stat_dir", "d", 1);
}

static void readdir_cookies(void) {
  TRY("mkdir_many", mkdir("many", 0755));
  char path[300];
  for (int i = 0; i < 40; i++) {
    snprintf(path, sizeof path, "many/entry-%02d-with-a-longer-name.txt", i);
    put(path, "x");
  }
  DIR *d = opendir("many");
  int seen = 0;
  long mark = -1;
  char at_mark[256] = "";
  struct dirent *e;
  while ((e = readdir(d))) {
    if (++seen == 17) {
      mark = telldir(d);
      e = readdir(d);
      if (!e) break;
      snprintf(at_mark, sizeof at_mark, "%s", e->d_name);
      seen++;
    }
  }
  printf("readdir_count %d\n", seen);
  seekdir(d, mark);
  e = readdir(d);
  printf("seekdir_same_entry %s\n", e && !strcmp(e->d_name, at_mark) ? "yes" : "no");
  rewinddir(d);
  int again = 0;
  while (readdir(d)) again++;
  printf("rewinddir_count %d\n", again);
  closedir(d);
  struct stat dot, entry;
  stat("many", &dot);
  d = opendir("many");
  int ino_ok = 1;
  while ((e = readdir(d))) {
    snprintf(path, sizeof path, "many/%s", e->d_name);
    if (lstat(path, &entry) == 0 && strcmp(e->d_name, "..") != 0 && entry.st_ino != e->d_ino) ino_ok = 0;
  }
  closedir(d);
  printf("readdir_inodes_match_stat %s\n", ino_ok ? "yes" : "no");
}

static void renames(void) {
  put("a.txt", "AAA");
  put("b.txt", "BBBBB");
  TRY("rename_over_file", rename("a.txt", "b.txt"));
  cat("cat_renamed", "b.txt");
  show("stat_old_name", "a.txt", 1);
  TRY("mkdir_x", mkdir("x", 0755));
  TRY("mkdir_y", mkdir("y", 0755));
  TRY("rename_dir_over_empty_dir", rename("x", "y"));
  show("stat_x", "x", 1);
  TRY("mkdir_z", mkdir("z", 0755));
  put("z/keep", "k");
  TRY("rename_dir_over_nonempty", rename("y", "z"));
  TRY("rename_file_over_dir", rename("b.txt", "z"));
  TRY("rename_dir_over_file", rename("y", "b.txt"));
  TRY("rename_missing", rename("ghost", "g2"));
  TRY("rename_into_subdir", rename("z", "z/inner"));
  listing("after_renames", ".");
}

static void removals(void) {
  put("gone.txt", "g");
  TRY("unlink", unlink("gone.txt"));
  TRY("unlink_again", unlink("gone.txt"));
  TRY("unlink_dir", unlink("z"));
  TRY("rmdir_nonempty", rmdir("z"));
  TRY("rmdir_file", rmdir("b.txt"));
  TRY("unlink_keep", unlink("z/keep"));
  TRY("rmdir_now_empty", rmdir("z"));
  TRY("link", link("b.txt", "b2.txt"));
  show("stat_linked", "b.txt", 1);
  TRY("link_existing", link("b.txt", "b2.txt"));
  TRY("unlink_one_link", unlink("b2.txt"));
  show("stat_unlinked", "b.txt", 1);
}

static void io(void) {
  int fd = open("io.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
  char buf[64];
  TRY("write", write(fd, "0123456789", 10));
  printf("tell_after_write %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("seek_set %lld\n", (long long)lseek(fd, 3, SEEK_SET));
  ssize_t n = read(fd, buf, 4);
  printf("read_at_3 %.*s\n", (int)n, buf);
  printf("seek_cur %lld\n", (long long)lseek(fd, -2, SEEK_CUR));
  printf("seek_end %lld\n", (long long)lseek(fd, 5, SEEK_END));
  TRY("write_past_end", write(fd, "Z", 1));
  show("stat_hole", "io.txt", 1);
  n = pread(fd, buf, sizeof buf, 8);
  printf("pread_hole %zd first=%d zero=%d\n", n, buf[0], buf[5]);
  TRY("seek_negative", lseek(fd, -100, SEEK_SET));
  TRY("pwrite", pwrite(fd, "AB", 2, 0));
  printf("tell_after_pwrite %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  TRY("ftruncate_down", ftruncate(fd, 4));
  show("stat_truncated", "io.txt", 1);
  TRY("ftruncate_up", ftruncate(fd, 6));
  cat("cat_truncated", "io.txt");
  close(fd);
  TRY("truncate_path", truncate("io.txt", 2));
  cat("cat_truncate_path", "io.txt");
  fd = open("io.txt", O_WRONLY | O_TRUNC);
  close(fd);
  show("stat_o_trunc", "io.txt", 1);
  fd = open("log.txt", O_RDWR | O_CREAT | O_APPEND, 0644);
  TRY("append_write", write(fd, "one,", 4));
  lseek(fd, 0, SEEK_SET);
  TRY("append_after_seek", write(fd, "two,", 4));
  TRY("pwrite_on_append", pwrite(fd, "three", 5, 0));
  close(fd);
  cat("cat_append", "log.txt");
}

static void times(void) {
  struct stat st;
  put("t.txt", "t");
  struct timespec ts[2] = {{1000000001, 123456789}, {1600000000, 987654321}};
  TRY("utimensat", utimensat(AT_FDCWD, "t.txt", ts, 0));
  stat("t.txt", &st);
  printf("times %lld.%09ld %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  int fd = open("t.txt", O_RDWR);
  struct timespec omit[2] = {{0, UTIME_OMIT}, {1700000000, 1}};
  TRY("futimens_omit_atime", futimens(fd, omit));
  fstat(fd, &st);
  printf("times_omit %lld.%09ld %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  close(fd);
  TRY("symlink", symlink("t.txt", "t.link"));
  struct timespec lts[2] = {{1000000000, 0}, {1100000000, 500}};
  TRY("utimensat_nofollow", utimensat(AT_FDCWD, "t.link", lts, AT_SYMLINK_NOFOLLOW));
  lstat("t.link", &st);
  printf("link_mtime %lld.%09ld\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  stat("t.link", &st);
  printf("target_mtime %lld.%09ld\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  char target[64];
  ssize_t n = readlink("t.link", target, sizeof target);
  printf("readlink %.*s\n", (int)(n < 0 ? 0 : n), target);
  show("lstat_link", "t.link", 0);
  show("stat_through_link", "t.link", 1);
  TRY("mkdir_tdir", mkdir("tdir", 0755));
  TRY("utimensat_dir", utimensat(AT_FDCWD, "tdir", ts, 0));
  stat("tdir", &st);
  printf("dir_mtime %lld.%09ld\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

int main(int argc, char **argv) {
  if (argc < 2 || chdir(argv[1]) != 0) {
    printf("usage: posix_common <empty dir>\n");
    return 2;
  }
  directories();
  readdir_cookies();
  renames();
  removals();
  io();
  times();
  listing("final", ".");
  return 0;
}
