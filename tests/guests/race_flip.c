// The attacker of the race tests, as a second guest sharing the workspace: flips /ws/a
// between the real directory and the symlink /ws/alink (planted by the host, pointing out
// of the grant) with path_rename, until /ws/stop exists. Prints how many flips it made.
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  long flips = 0;
  int started = open("/ws/flipping", O_CREAT | O_WRONLY, 0644);
  if (started >= 0) close(started);
  while (access("/ws/stop", F_OK) != 0) {
    if (rename("/ws/a", "/ws/a.tmp") == 0) {
      if (rename("/ws/alink", "/ws/a") == 0) {
        flips++;
        rename("/ws/a", "/ws/alink");
      }
      rename("/ws/a.tmp", "/ws/a");
    }
  }
  printf("flips %ld\n", flips);
  return 0;
}
