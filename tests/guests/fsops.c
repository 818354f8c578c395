// A scriptable file-system probe. Each argument is one operation "op:arg[:arg]";
// each prints one line "op ok [detail]" or "op err ERRNAME". Always exits 0.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *errname(int e) {
  switch (e) {
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case ELOOP: return "ELOOP";
    case EXDEV: return "EXDEV";
    case EINVAL: return "EINVAL";
    case EBADF: return "EBADF";
    case EROFS: return "EROFS";
    case EBUSY: return "EBUSY";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    case ENOTSUP: return "ENOTSUP";
    case ESPIPE: return "ESPIPE";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    default: return "EOTHER";
  }
}

static int fail(const char *op) {
  printf("%s err %s\n", op, errname(errno));
  return 0;
}

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int do_write(const char *op, const char *path, const char *text, int flags) {
  int fd = open(path, flags, 0644);
  if (fd < 0) return fail(op);
  size_t len = strlen(text);
  if (write(fd, text, len) != (ssize_t)len) {
    fail(op);
    close(fd);
    return 0;
  }
  close(fd);
  printf("%s ok\n", op);
  return 0;
}

static int do_read(const char *op, const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return fail(op);
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  if (n < 0) {
    fail(op);
    close(fd);
    return 0;
  }
  buf[n] = 0;
  close(fd);
  printf("%s ok %s\n", op, buf);
  return 0;
}

static int do_ls(const char *op, const char *path) {
  DIR *d = opendir(path);
  if (!d) return fail(op);
  char *names[1024];
  int count = 0;
  struct dirent *ent;
  while ((ent = readdir(d)) && count < 1024) {
    if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) continue;
    names[count++] = strdup(ent->d_name);
  }
  closedir(d);
  qsort(names, count, sizeof names[0], cmp);
  printf("%s ok", op);
  for (int i = 0; i < count; i++) printf("%s%s", i ? "," : " ", names[i]);
  printf("\n");
  return 0;
}

static const char *kind(mode_t m) {
  if (S_ISDIR(m)) return "dir";
  if (S_ISREG(m)) return "file";
  if (S_ISLNK(m)) return "symlink";
  return "other";
}

static int run(char *spec) {
  char *op = strtok(spec, ":");
  char *a = strtok(NULL, ":");
  char *b = strtok(NULL, "");
  if (!op || !a) {
    printf("bad spec\n");
    return 1;
  }
  struct stat st;
  if (!strcmp(op, "read")) return do_read(op, a);
  if (!strcmp(op, "write")) return do_write(op, a, b ? b : "", O_WRONLY | O_CREAT | O_TRUNC);
  if (!strcmp(op, "append")) return do_write(op, a, b ? b : "", O_WRONLY | O_CREAT | O_APPEND);
  if (!strcmp(op, "create")) return do_write(op, a, b ? b : "", O_WRONLY | O_CREAT | O_EXCL);
  if (!strcmp(op, "overwrite")) return do_write(op, a, b ? b : "", O_WRONLY);
  if (!strcmp(op, "ls")) return do_ls(op, a);
  if (!strcmp(op, "mkdir")) return mkdir(a, 0755) ? fail(op) : printf("%s ok\n", op) * 0;
  if (!strcmp(op, "rmdir")) return rmdir(a) ? fail(op) : printf("%s ok\n", op) * 0;
  if (!strcmp(op, "unlink")) return unlink(a) ? fail(op) : printf("%s ok\n", op) * 0;
  if (!strcmp(op, "rename")) return rename(a, b) ? fail(op) : printf("%s ok\n", op) * 0;
  if (!strcmp(op, "link")) return link(a, b) ? fail(op) : printf("%s ok\n", op) * 0;
  if (!strcmp(op, "symlink")) return symlink(a, b) ? fail(op) : printf("%s ok\n", op) * 0;
  if (!strcmp(op, "truncate")) {
    return truncate(a, atol(b)) ? fail(op) : printf("%s ok\n", op) * 0;
  }
  if (!strcmp(op, "readlink")) {
    char buf[1024];
    ssize_t n = readlink(a, buf, sizeof buf - 1);
    if (n < 0) return fail(op);
    buf[n] = 0;
    printf("%s ok %s\n", op, buf);
    return 0;
  }
  if (!strcmp(op, "stat") || !strcmp(op, "lstat")) {
    int r = op[0] == 's' ? stat(a, &st) : lstat(a, &st);
    if (r) return fail(op);
    printf("%s ok %s %lld\n", op, kind(st.st_mode), (long long)st.st_size);
    return 0;
  }
  if (!strcmp(op, "utime")) {
    struct timespec ts[2] = {{1000000000, 0}, {1000000000, 0}};
    return utimensat(AT_FDCWD, a, ts, 0) ? fail(op) : printf("%s ok\n", op) * 0;
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
