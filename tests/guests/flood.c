// Writes argv[1] bytes of 'x' to stdout (argv[2] == "err": to stderr) in 64 KiB chunks.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char buf[65536];

int main(int argc, char **argv) {
  unsigned long long total = argc > 1 ? strtoull(argv[1], 0, 10) : 0;
  int fd = (argc > 2 && strcmp(argv[2], "err") == 0) ? 2 : 1;
  memset(buf, 'x', sizeof buf);
  while (total > 0) {
    size_t n = total < sizeof buf ? (size_t)total : sizeof buf;
    ssize_t w = write(fd, buf, n);
    if (w <= 0) return 1;
    total -= (unsigned long long)w;
  }
  return 0;
}
