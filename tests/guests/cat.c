// Copies stdin to stdout byte for byte, or to the file named by argv[1].
#include <fcntl.h>
#include <unistd.h>

static char buf[65536];

int main(int argc, char **argv) {
  int out = 1;
  if (argc > 1) {
    out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) return 2;
  }
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) return 1;
    if (n == 0) return 0;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(out, buf + off, (size_t)(n - off));
      if (w <= 0) return 1;
      off += w;
    }
  }
}
