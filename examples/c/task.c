// A template for a wasp guest in C (wasm32-wasi, wasi-libc).
//
// It reads the task id from the environment, lists the workspace the orchestrator granted at
// /workspace, and writes a summary there. Build it with ./build.sh, then run it with:
//   wasp run task.wasm --allow-dir ./workspace::/workspace --env TASK_ID=abc123
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *task = getenv("TASK_ID");
  printf("task %s, %d argument(s)\n", task ? task : "(none)", argc - 1);

  DIR *dir = opendir("/workspace");
  if (!dir) {
    perror("cannot open /workspace (grant it with --allow-dir DIR::/workspace)");
    return 1;
  }
  int files = 0;
  struct dirent *entry;
  while ((entry = readdir(dir))) {
    if (entry->d_name[0] == '.') continue;
    printf("found %s\n", entry->d_name);
    files++;
  }
  closedir(dir);

  FILE *out = fopen("/workspace/summary.txt", "w");
  if (!out) {
    perror("cannot write /workspace/summary.txt (is the grant read-only?)");
    return 1;
  }
  fprintf(out, "task %s saw %d file(s)\n", task ? task : "(none)", files);
  fclose(out);
  printf("wrote summary.txt\n");
  return 0;
}
