// Allocates and touches 1 MiB blocks until malloc fails; exits 3 when it does.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *volatile sink;

int main(void) {
  unsigned long blocks = 0;
  for (;;) {
    char *p = malloc(1 << 20);
    if (!p) {
      printf("malloc failed after %lu MiB\n", blocks);
      return 3;
    }
    memset(p, 1, 1 << 20);
    sink = p;
    blocks++;
  }
}
