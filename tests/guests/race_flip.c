// The attacker of the race tests, as a second guest sharing the workspace: flips /ws/a
// between the real directory and the symlink /ws/ilink -> ro (which it creates: a link that
// stays inside the grant, into the directory the victim may only read) with path_rename,
// until /ws/stop exists. Prints how many flips it made.
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  long flips = 0;
  symlink("ro", "/ws/ilink");
  int started = open("/ws/flipping", O_CREAT | O_WRONLY, 0644);
  if (started >= 0) close(started);
  while (access("/ws/stop", F_OK) != 0) {
    if (rename("/ws/a", "/ws/a.tmp") == 0) {
      if (rename("/ws/ilink", "/ws/a") == 0) {
        flips++;
        rename("/ws/a", "/ws/ilink");
      }
      rename("/ws/a.tmp", "/ws/a");
    }
  }
  printf("flips %ld\n", flips);
  return 0;
}
