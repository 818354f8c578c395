// A real-world guest: SQLite (amalgamation from the better-sqlite3 npm package) keeping a
// database in the granted workspace. argv[1] = database path; argv[2..] = SQL statements.
// Prints each result row as "col|col|..." and exits 1 with the error on stderr on failure.
#include <stdio.h>
#include "sqlite3.h"

static int print_row(void *unused, int n, char **values, char **names) {
  (void)unused;
  (void)names;
  for (int i = 0; i < n; i++) printf("%s%s", i ? "|" : "", values[i] ? values[i] : "NULL");
  printf("\n");
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: sqlite_demo DB SQL...\n");
    return 2;
  }
  sqlite3 *db;
  if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
    fprintf(stderr, "open %s: %s\n", argv[1], sqlite3_errmsg(db));
    return 1;
  }
  for (int i = 2; i < argc; i++) {
    char *err = NULL;
    if (sqlite3_exec(db, argv[i], print_row, NULL, &err) != SQLITE_OK) {
      fprintf(stderr, "sql error: %s\n", err);
      sqlite3_free(err);
      sqlite3_close(db);
      return 1;
    }
  }
  return sqlite3_close(db) == SQLITE_OK ? 0 : 1;
}
