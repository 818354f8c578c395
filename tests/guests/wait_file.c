// Holds its run until the host creates a file: creates argv[1] ("I am running"), then waits
// until argv[2] exists, then prints "go". Lets a test order host actions against a running
// guest without timing.
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  FILE *f = fopen(argv[1], "w");
  if (!f) return 3;
  fclose(f);
  struct timespec t = {0, 5000000};
  while (access(argv[2], F_OK) != 0) nanosleep(&t, 0);
  puts("go");
  return 0;
}
