// Tries to turn a directory fd into a door out of the grant: opens /ws/sub as a directory,
// renames it away, plants a symlink to argv[1] (a relative path to an outside directory) at
// /ws/sub, then uses
// the old fd. Prints "<step> <errno>" per step (0 = success).
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  __wasi_fd_t sub, file;
  __wasi_filestat_t st;
  __wasi_size_t used;
  static uint8_t buf[4096];
  __wasi_rights_t dir_rights = __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_CREATE_DIRECTORY |
                               __WASI_RIGHTS_PATH_UNLINK_FILE | __WASI_RIGHTS_PATH_FILESTAT_GET |
                               __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_FD_FILESTAT_GET;
  printf("open_dir %d\n", __wasi_path_open(3, 0, "sub", __WASI_OFLAGS_DIRECTORY, dir_rights,
                                           __WASI_RIGHTS_FD_READ, 0, &sub));
  printf("rename %d\n", __wasi_path_rename(3, "sub", 3, "sub-moved"));
  printf("plant %d\n", __wasi_path_symlink(argv[1], 3, "sub"));
  printf("stat_through %d\n", __wasi_path_filestat_get(sub, 0, "s.txt", &st));
  printf("open_through %d\n", __wasi_path_open(sub, 0, "s.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &file));
  printf("mkdir_through %d\n", __wasi_path_create_directory(sub, "pwned"));
  printf("unlink_through %d\n", __wasi_path_unlink_file(sub, "s.txt"));
  printf("readdir_through %d\n", __wasi_fd_readdir(sub, buf, sizeof buf, 0, &used));
  printf("fdstat_dir %d\n", __wasi_fd_filestat_get(sub, &st));
  return 0;
}
