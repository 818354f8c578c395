// A probe for denials and the change report. Each argument is one operation "op:arg[:arg]";
// each prints one line "op ok" or "op err ERRNO-NUMBER". Always exits 0.
//   open:PATH            open(PATH, O_RDONLY) through wasi-libc's preopen lookup
//   openat:DIR:PATH      open DIR, then openat(dir, PATH): the host sees PATH as written
//   write:PATH:TEXT      create or truncate PATH and write TEXT
//   append:PATH:TEXT     append TEXT to PATH
//   rm:PATH  mkdir:PATH  rmdir:PATH  rename:A:B  link:A:B  symlink:TARGET:PATH  truncate:PATH:N
//   tmp:PATH             create PATH, write to it, delete it again
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int report(const char *op, int failed) {
  if (failed) printf("%s err %d\n", op, errno);
  else printf("%s ok\n", op);
  return 0;
}

static int put(const char *path, const char *text, int flags) {
  int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n < 0 ? -1 : 0;
}

static int run(char *spec) {
  char *op = strtok(spec, ":");
  char *a = strtok(NULL, ":");
  char *b = strtok(NULL, "");
  if (!op || !a) return 1;
  if (!strcmp(op, "open")) {
    int fd = open(a, O_RDONLY);
    if (fd >= 0) close(fd);
    return report(op, fd < 0);
  }
  if (!strcmp(op, "openat")) {
    int dir = open(a, O_RDONLY | O_DIRECTORY);
    if (dir < 0) return report(op, 1);
    int fd = openat(dir, b ? b : "", O_RDONLY);
    int failed = fd < 0;
    int saved = errno;
    if (fd >= 0) close(fd);
    close(dir);
    errno = saved;
    return report(op, failed);
  }
  if (!strcmp(op, "write")) return report(op, put(a, b ? b : "", O_TRUNC));
  if (!strcmp(op, "append")) return report(op, put(a, b ? b : "", O_APPEND));
  if (!strcmp(op, "rm")) return report(op, unlink(a));
  if (!strcmp(op, "mkdir")) return report(op, mkdir(a, 0755));
  if (!strcmp(op, "rmdir")) return report(op, rmdir(a));
  if (!strcmp(op, "rename")) return report(op, rename(a, b));
  if (!strcmp(op, "link")) return report(op, link(a, b));
  if (!strcmp(op, "symlink")) return report(op, symlink(a, b));
  if (!strcmp(op, "truncate")) return report(op, truncate(a, atol(b)));
  if (!strcmp(op, "tmp")) {
    if (put(a, "scratch", O_TRUNC)) return report(op, 1);
    return report(op, unlink(a));
  }
  printf("unknown op %s\n", op);
  return 1;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (run(argv[i])) return 2;
  }
  return 0;
}
