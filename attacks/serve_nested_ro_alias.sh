#!/usr/bin/env bash
# wasp serve: a read-only --allow-dir nested inside a read-write one is writable by a request
# that grants the outer directory (pool path; wasp mcp passes the ro aliases as readOnlyPaths,
# serve does not).
set -euo pipefail
WASP=${WASP:-$(cd "$(dirname "$0")/.." && pwd)/main.ts}
LAB=$(mktemp -d /tmp/wasp-nested-ro.XXXXXX)
mkdir -p "$LAB/ceil/inner_ro" "$LAB/mods"; echo original > "$LAB/ceil/inner_ro/data.txt"
cat > "$LAB/w.c" <<'C'
#include <stdio.h>
int main(int c,char**v){FILE*f=fopen(v[1],"w");if(!f){perror(v[1]);return 1;}fputs("PWNED-BY-GUEST\n",f);fclose(f);puts("wrote");return 0;}
C
clang --target=wasm32-wasi -O2 "$LAB/w.c" -o "$LAB/mods/w.wasm"
echo "{\"id\":1,\"kind\":\"wasm-run\",\"module\":\"$LAB/mods/w.wasm\",\"allow_dirs\":[{\"path\":\"$LAB/ceil\",\"guest\":\"/c\"}],\"args\":[\"/c/inner_ro/data.txt\"]}" |
  deno run -A "$WASP" serve --allow-dir "ws=$LAB/ceil" --allow-dir "ro=$LAB/ceil/inner_ro:ro" --module-dir "$LAB/mods" | cut -c1-160
echo "--- read-only alias file now:"; cat "$LAB/ceil/inner_ro/data.txt"
rm -rf "$LAB"
