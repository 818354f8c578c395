// Writes to both streams, then exits with the code given as argv[1].
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  printf("to stdout\n");
  fprintf(stderr, "to stderr\n");
  return argc > 1 ? atoi(argv[1]) : 0;
}
