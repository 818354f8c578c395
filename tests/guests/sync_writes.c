// Writes through fds opened with O_SYNC, O_DSYNC and neither, so that a test can count the
// host syncs: 3 writes + 1 pwrite with O_SYNC, 2 writes with O_DSYNC, 4 plain writes.
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static int writes(const char *path, int flags, int n) {
  int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
  if (fd < 0) return -1;
  int ok = 0;
  for (int i = 0; i < n; i++) ok += write(fd, "x", 1) == 1;
  if (flags & O_SYNC) ok += pwrite(fd, "y", 1, 0) == 1;
  close(fd);
  return ok;
}

int main(void) {
  printf("sync %d\n", writes("/w/sync.txt", O_SYNC, 3));
  printf("dsync %d\n", writes("/w/dsync.txt", O_DSYNC, 2));
  printf("plain %d\n", writes("/w/plain.txt", 0, 4));
  return 0;
}
