// The victim of the race tests. Runs every path operation through /ws/a/... many times
// while something else flips /ws/a between the real directory and a symlink that leads
// out of the grant. Prints per-operation success counts, and a "LEAK ..." line for anything
// it could only have seen outside the grant: "LEAK" for contents, names and changes, "META"
// for metadata (stat), which the kernel wall does not cover. Creates /ws/stop when done.
// argv[1]: iterations; argv[2]: "all" or "single" (only operations on one directory);
// argv[3] (optional): a file to read through /ws/a each iteration (e.g. "environ").
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define OPS 17
static const char *names[OPS] = {
    "read", "create", "trunc", "stat", "lstat", "readdir", "mkdir", "rmdir", "unlink",
    "rename_from", "rename_into", "link_from", "link_into", "symlink", "readlink",
    "set_times", "set_size"};
static long ok[OPS];

static void count(int op, int success) {
  if (success) ok[op]++;
}

static void leak(const char *what, const char *detail) {
  printf("LEAK %s %s\n", what, detail);
}

static void meta(const char *what) {
  printf("META %s saw the canary's size\n", what);
}

int main(int argc, char **argv) {
  int iterations = argc > 1 ? atoi(argv[1]) : 1000;
  int all = argc > 2 ? strcmp(argv[2], "all") == 0 : 1;
  const char *extra = argc > 3 ? argv[3] : NULL;
  char buf[2048];
  char path[256];
  // start once the attacker is at work (it creates /ws/flipping), for at most ~20 s
  for (int w = 0; w < 20000 && access("/ws/flipping", F_OK) != 0; w++) usleep(1000);
  for (int i = 0; i < iterations; i++) {
    int fd = open("/ws/a/f", O_RDONLY);
    if (fd >= 0) {
      ssize_t n = read(fd, buf, sizeof buf - 1);
      if (n > 0) {
        buf[n] = 0;
        if (strstr(buf, "CANARY")) leak("read", "a/f");
      }
      close(fd);
    }
    count(0, fd >= 0);
    if (extra) {
      snprintf(path, sizeof path, "/ws/a/%s", extra);
      fd = open(path, O_RDONLY);
      if (fd >= 0) {
        ssize_t n = read(fd, buf, sizeof buf - 1);
        if (n > 0) {
          buf[n] = 0;
          for (ssize_t k = 0; k < n; k++) if (buf[k] == 0) buf[k] = '\n';
          printf("EXTRA %s\n", buf);
        }
        close(fd);
      }
    }
    snprintf(path, sizeof path, "/ws/a/new%d", i % 8);
    fd = open(path, O_CREAT | O_WRONLY, 0644);
    if (fd >= 0) {
      if (write(fd, "n", 1) < 0) leak("write", "new");
      close(fd);
      unlink(path);
    }
    count(1, fd >= 0);
    fd = open("/ws/a/t", O_WRONLY | O_TRUNC);
    if (fd >= 0) {
      if (write(fd, "ws", 2) < 0) leak("write", "t");
      close(fd);
    }
    count(2, fd >= 0);
    struct stat st;
    int r = stat("/ws/a/f", &st);
    if (r == 0 && st.st_size == 1000) meta("stat");
    count(3, r == 0);
    r = lstat("/ws/a/f", &st);
    if (r == 0 && st.st_size == 1000) meta("lstat");
    count(4, r == 0);
    DIR *d = opendir("/ws/a");
    if (d) {
      struct dirent *e;
      while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, "CANARY_MARK") == 0) leak("readdir", "saw CANARY_MARK");
      }
      closedir(d);
    }
    count(5, d != NULL);
    count(6, mkdir("/ws/a/d", 0755) == 0);
    count(7, rmdir("/ws/a/d") == 0);
    fd = open("/ws/a/x", O_CREAT | O_WRONLY, 0644);
    if (fd >= 0) close(fd);
    count(8, unlink("/ws/a/x") == 0);
    if (all) {
      if (rename("/ws/a/f", "/ws/g") == 0) {
        ok[9]++;
        // put it back where it came from (a may be the other object by now)
        count(10, rename("/ws/g", "/ws/a/f") == 0);
        if (access("/ws/g", F_OK) == 0) rename("/ws/g", "/ws/f-parked");
      }
      if (link("/ws/a/f", "/ws/h") == 0) {
        ok[11]++;
        unlink("/ws/h");
      }
      if (link("/ws/base", "/ws/a/l") == 0) {
        ok[12]++;
        unlink("/ws/a/l");
      }
    } else {
      if (rename("/ws/a/f", "/ws/a/g") == 0) {
        ok[9]++;
        count(10, rename("/ws/a/g", "/ws/a/f") == 0);
      }
      if (link("/ws/a/f", "/ws/a/h") == 0) {
        ok[11]++;
        unlink("/ws/a/h");
      }
    }
    if (symlink("f", "/ws/a/s") == 0) {
      ok[13]++;
      ssize_t n = readlink("/ws/a/s", buf, sizeof buf);
      count(14, n == 1);
      unlink("/ws/a/s");
    }
    struct timespec times[2] = {{12345, 0}, {12345, 0}};
    count(15, utimensat(AT_FDCWD, "/ws/a/f", times, 0) == 0);
    fd = open("/ws/a/f", O_WRONLY);
    if (fd >= 0) {
      count(16, ftruncate(fd, 5) == 0);
      close(fd);
    }
  }
  for (int k = 0; k < OPS; k++) printf("%s %ld\n", names[k], ok[k]);
  int stop = open("/ws/stop", O_CREAT | O_WRONLY, 0644);
  if (stop >= 0) close(stop);
  return 0;
}
