#!/usr/bin/env bash
# wasp serve reads every request line at once (no backpressure) and builds each run's Policy
# before it waits for a slot: buildPolicy reads the whole module (the 13 MB Python runtime for a
# "python" request) into memory per queued request. N tiny requests (30 bytes each) queued behind
# one long run hold N x 13 MB in the serving process; a few thousand lines OOM-kill the server
# and every run in flight. Prints the serving process's RSS as the queue grows (N=60: ~0.8 GB).
set -euo pipefail
WASP=${WASP:-$(cd "$(dirname "$0")/.." && pwd)/main.ts}
N=${N:-60}
LAB=$(mktemp -d /tmp/wasp-queue-mem.XXXXXX); mkdir -p "$LAB/mods"
cat > "$LAB/sleep.c" <<'C'
#include <time.h>
int main(void){struct timespec t={40,0};nanosleep(&t,0);return 0;}
C
clang --target=wasm32-wasi -O2 "$LAB/sleep.c" -o "$LAB/mods/sleep.wasm"
mkfifo "$LAB/in"
deno run -A "$WASP" serve --module-dir "$LAB/mods" --max-concurrency 1 < "$LAB/in" > "$LAB/out" 2>&1 &
SERVER=$!
exec 3> "$LAB/in"
echo "{\"id\":\"long\",\"kind\":\"wasm-run\",\"module\":\"$LAB/mods/sleep.wasm\"}" >&3
sleep 4
for i in $(seq "$N"); do echo "{\"id\":$i,\"kind\":\"python\",\"code\":\"print(1)\"}" >&3; done
for t in 2 4 6 8 10 12 14; do
  sleep 2
  pid=$(pgrep -f "__wasp_serving.*$LAB" | head -n1 || true)
  [ -n "$pid" ] && echo "t+${t}s serving process RSS: $(( $(ps -o rss= -p "$pid") / 1024 )) MiB ($N queued requests of ~30 bytes)"
done
kill -TERM "$SERVER"; exec 3>&-; wait "$SERVER" || true
rm -rf "$LAB"
