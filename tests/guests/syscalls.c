// The syscall-heavy benchmark guest: 20,000 small writes to stdout, then 1,000 cycles of
// create / write / close / unlink in /ws. Prints "syscalls done" last.
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  for (int i = 0; i < 20000; i++) {
    if (write(1, "x\n", 2) != 2) return 1;
  }
  char path[64];
  for (int i = 0; i < 1000; i++) {
    snprintf(path, sizeof path, "/ws/f%d", i % 16);
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0 || write(fd, "data", 4) != 4) return 2;
    close(fd);
    if (unlink(path) != 0) return 3;
  }
  printf("syscalls done\n");
  return 0;
}
