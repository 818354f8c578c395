// Output that a streaming consumer must see while the guest still runs.
//   wait DIR       writes "ready\n" to stdout, "warming\n" and half of a two-byte UTF-8
//                  character to stderr, then sleeps (poll_oneoff) until DIR/go exists; then
//                  the character's second half, "done\n", exit 0
//   stamps N MS    N times: the realtime clock in ns as one line, then sleeps MS ms
//   flood N        N lines of 100 bytes as fast as it can, then exit 0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void put(int fd, const char *s) {
  size_t n = strlen(s);
  if (write(fd, s, n) != (ssize_t)n) exit(3);
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, 0);
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "wait") == 0) {
    char go[512];
    snprintf(go, sizeof go, "%s/go", argv[2]);
    put(1, "ready\n");
    put(2, "warming\n");
    put(2, "\xc3");
    struct stat st;
    while (stat(go, &st) != 0) sleep_ms(2);
    put(2, "\xa9\n");
    put(1, "done\n");
    return 0;
  }
  if (argc >= 4 && strcmp(argv[1], "stamps") == 0) {
    int n = atoi(argv[2]);
    long ms = atol(argv[3]);
    char line[64];
    for (int i = 0; i < n; i++) {
      struct timespec now;
      clock_gettime(CLOCK_REALTIME, &now);
      snprintf(line, sizeof line, "%lld\n", (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
      put(1, line);
      sleep_ms(ms);
    }
    return 0;
  }
  if (argc >= 3 && strcmp(argv[1], "flood") == 0) {
    int n = atoi(argv[2]);
    char line[101];
    memset(line, 'x', 99);
    line[99] = '\n';
    line[100] = 0;
    for (int i = 0; i < n; i++) put(1, line);
    return 0;
  }
  put(2, "usage: stream_probe wait DIR | stamps N MS | flood N\n");
  return 2;
}
