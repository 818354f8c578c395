// The host-process attacker of the race tests (built natively, not for WASI): exchanges two
// names atomically with renameat2(RENAME_EXCHANGE) in a tight loop until a stop file exists
// or a time limit passes. Usage: swapper DIR NAME1 NAME2 STOPFILE SECONDS
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 6) return 2;
  int dir = open(argv[1], O_PATH | O_DIRECTORY);
  if (dir < 0) return 3;
  time_t end = time(NULL) + atoi(argv[5]);
  long swaps = 0;
  for (long i = 0;; i++) {
    if (renameat2(dir, argv[2], dir, argv[3], RENAME_EXCHANGE) == 0) swaps++;
    if ((i & 255) == 0 && (access(argv[4], F_OK) == 0 || time(NULL) > end)) break;
  }
  // leave the names as they were found
  if (swaps % 2 == 1) renameat2(dir, argv[2], dir, argv[3], RENAME_EXCHANGE);
  printf("swaps %ld\n", swaps);
  return 0;
}
