// Prints "tick" every 100 ms, forever.
#include <stdio.h>
#include <time.h>

int main(void) {
  struct timespec ts = {0, 100000000};
  for (;;) {
    printf("tick\n");
    fflush(stdout);
    nanosleep(&ts, 0);
  }
}
