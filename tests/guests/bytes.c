// Writes argv[1] bytes to stdout and to stderr, repeating the byte patterns given in hex by
// argv[2] (stdout) and argv[3] (stderr), e.g. `bytes 1024 00 01ff`.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned char buf[65536];

static size_t unhex(const char *hex, unsigned char *out, size_t max) {
  size_t n = 0;
  while (hex[0] && hex[1] && n < max) {
    char pair[3] = {hex[0], hex[1], 0};
    out[n++] = (unsigned char)strtoul(pair, 0, 16);
    hex += 2;
  }
  return n;
}

static int flood(int fd, unsigned long long total, const char *hex) {
  unsigned char pattern[64];
  size_t len = unhex(hex, pattern, sizeof pattern);
  if (len == 0) return 1;
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = pattern[i % len];
  // each write starts at a multiple of 65536, which every pattern length here divides
  while (total > 0) {
    size_t n = total < sizeof buf ? (size_t)total : sizeof buf;
    ssize_t w = write(fd, buf, n);
    if (w <= 0) return 1;
    total -= (unsigned long long)w;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  unsigned long long total = strtoull(argv[1], 0, 10);
  if (flood(1, total, argv[2])) return 1;
  if (flood(2, total, argv[3])) return 1;
  return 0;
}
