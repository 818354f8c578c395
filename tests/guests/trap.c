// Prints a line, then traps: "unreachable" by default, "oob" for an out-of-bounds load.
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  printf("before trap\n");
  fflush(stdout);
  if (argc > 1 && strcmp(argv[1], "oob") == 0) {
    volatile int *p = (int *)0xfffffff0;
    return *p;
  }
  __builtin_trap();
}
