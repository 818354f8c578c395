#!/usr/bin/env bash
# wasp serve reads a request's stdin file by path in the serving process (no pinning, no
# Landlock) after the ceiling check; a file swapped for a symlink in between is followed
# outside the ceiling. Deterministic: --max-concurrency 1 and a sleeping run keep the
# request queued (checked, not yet read) while the file is swapped.
set -euo pipefail
WASP=${WASP:-$(cd "$(dirname "$0")/.." && pwd)/main.ts}
LAB=$(mktemp -d /tmp/wasp-stdin-swap.XXXXXX)
mkdir -p "$LAB/ceil/ws" "$LAB/secret" "$LAB/mods"
echo "SECRET-OUTSIDE-CEILING" > "$LAB/secret/passwd.txt"
echo "harmless" > "$LAB/ceil/ws/in.txt"
cat > "$LAB/cat.c" <<'C'
#include <stdio.h>
#include <unistd.h>
int main(void){char b[4096];ssize_t n;while((n=read(0,b,sizeof b))>0)fwrite(b,1,n,stdout);return 0;}
C
cat > "$LAB/sleep.c" <<'C'
#include <time.h>
int main(void){struct timespec t={8,0};nanosleep(&t,0);return 0;}
C
clang --target=wasm32-wasi -O2 "$LAB/cat.c" -o "$LAB/mods/cat.wasm"
clang --target=wasm32-wasi -O2 "$LAB/sleep.c" -o "$LAB/mods/sleep.wasm"
{
  echo "{\"id\":\"sleeper\",\"kind\":\"wasm-run\",\"module\":\"$LAB/mods/sleep.wasm\"}"
  sleep 4   # sleeper holds the only slot
  echo "{\"id\":\"victim\",\"kind\":\"wasm-run\",\"module\":\"$LAB/mods/cat.wasm\",\"stdin\":\"$LAB/ceil/ws/in.txt\"}"
  sleep 1.5 # victim request: ceiling checked (regular file inside), now queued
  ln -sf "$LAB/secret/passwd.txt" "$LAB/ceil/ws/in.txt.tmp" && mv -T "$LAB/ceil/ws/in.txt.tmp" "$LAB/ceil/ws/in.txt"
  sleep 8
} | deno run -A "$WASP" serve --allow-dir "ws=$LAB/ceil" --module-dir "$LAB/mods" --max-concurrency 1 \
  | grep "\"victim\""
rm -rf "$LAB"
