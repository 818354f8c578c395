// Builds trees for the wasmer sync-back tests. Each argument is one command:
//   files:DIR:N:SIZE  creates DIR and N files DIR/fNNNNN of SIZE bytes each
//   dirs:DIR:N        creates DIR and N empty directories DIR/dNNNNN
//   deep:DIR:N        creates a chain of N directories DIR/d/d/.../d (by chdir)
//   spin              loops forever (for timeouts)
// Prints "done" when every command succeeded, "fail CMD ERRNO" at the first failure.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char buf[65536];

static int write_file(const char *path, long size) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  while (size > 0) {
    long n = size < (long)sizeof buf ? size : (long)sizeof buf;
    if (write(fd, buf, (size_t)n) != n) {
      close(fd);
      return -1;
    }
    size -= n;
  }
  return close(fd);
}

static int run(char *cmd) {
  char *op = strtok(cmd, ":");
  char *dir = strtok(NULL, ":");
  char *n_text = strtok(NULL, ":");
  char *size_text = strtok(NULL, ":");
  long n = n_text ? atol(n_text) : 0;
  if (!strcmp(op, "spin")) {
    for (volatile unsigned long i = 0;; i++) {
    }
  }
  if (!dir || (mkdir(dir, 0755) != 0 && errno != EEXIST)) return -1;
  char path[4096];
  for (long i = 0; i < n; i++) {
    if (!strcmp(op, "files")) {
      snprintf(path, sizeof path, "%s/f%05ld", dir, i);
      if (write_file(path, size_text ? atol(size_text) : 0) != 0) return -1;
    } else if (!strcmp(op, "dirs")) {
      snprintf(path, sizeof path, "%s/d%05ld", dir, i);
      if (mkdir(path, 0755) != 0) return -1;
    } else if (!strcmp(op, "deep")) {
      if (i == 0 && chdir(dir) != 0) return -1;
      if (mkdir("d", 0755) != 0 || chdir("d") != 0) return -1;
    } else {
      errno = EINVAL;
      return -1;
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  memset(buf, 'x', sizeof buf);
  for (int i = 1; i < argc; i++) {
    char copy[256];
    snprintf(copy, sizeof copy, "%s", argv[i]);
    if (run(copy) != 0) {
      printf("fail %s %d\n", argv[i], errno);
      return 1;
    }
  }
  printf("done\n");
  return 0;
}
