// Prints every environment variable the guest can see, one KEY=VALUE per line.
#include <stdio.h>

extern char **environ;

int main(void) {
  for (char **e = environ; *e; e++) printf("%s\n", *e);
  return 0;
}
