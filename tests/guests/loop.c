// Prints a line, then spins forever.
#include <stdio.h>

int main(void) {
  printf("started\n");
  fflush(stdout);
  volatile unsigned long n = 0;
  for (;;) n++;
}
