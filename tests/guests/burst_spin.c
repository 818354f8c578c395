// Writes argv[1] numbered lines to stdout with one write(2) each, as fast as it can, then
// spins forever: the coalesced output must still reach the envelope after the timeout.
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int lines = argc > 1 ? atoi(argv[1]) : 100;
  char line[32];
  for (int i = 0; i < lines; i++) {
    int n = snprintf(line, sizeof line, "line %d\n", i);
    if (write(1, line, n) != n) return 1;
  }
  volatile unsigned long spin = 0;
  for (;;) spin++;
}
