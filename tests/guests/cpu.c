// The CPU-bound benchmark guest: argv[1] rounds of integer mixing, no syscalls in between.
// Prints the final value so that the work cannot be optimised away.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  unsigned long rounds = argc > 1 ? strtoul(argv[1], 0, 10) : 100000000UL;
  unsigned long long x = 0x9e3779b97f4a7c15ULL;
  for (unsigned long i = 0; i < rounds; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  printf("cpu done %llu\n", x % 1000);
  return 0;
}
