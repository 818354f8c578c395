// A directory fd whose directory moved to a shallower place, with a symlink planted at its old
// path leading to the new one: the old path still reaches the same directory, but every depth
// measured from it would be wrong. Prints "<step> <errno>" per step.
#include <stdio.h>
#include <wasi/api.h>

int main(void) {
  __wasi_fd_t d;
  __wasi_rights_t all = ~(__wasi_rights_t)0 & ~__WASI_RIGHTS_FD_WRITE;
  printf("mkdir %d\n", __wasi_path_create_directory(3, "a") |
                          __wasi_path_create_directory(3, "a/b") |
                          __wasi_path_create_directory(3, "a/b/c"));
  printf("open %d\n", __wasi_path_open(3, 0, "a/b/c", __WASI_OFLAGS_DIRECTORY, all, all, 0, &d));
  printf("move %d\n", __wasi_path_rename(3, "a/b/c", 3, "c"));
  printf("plant %d\n", __wasi_path_symlink("../../c", 3, "a/b/c"));
  printf("climb %d\n", __wasi_path_symlink("../../..", d, "up"));
  printf("create %d\n", __wasi_path_create_directory(d, "x"));
  return 0;
}
