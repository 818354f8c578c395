#!/usr/bin/env bash
# wasp serve: a request with "engine": "wasmer" leaves the pool for a walled process
# (src/run.ts), and the pool's checkCeiling never runs; only serve.ts's literal checkPaths
# does (string prefix, no access check, no ".." normalisation). Shows, client-only:
#   1. a read-write grant of a read-only --allow-dir (guest overwrites a file there)
#   2. a read-write grant OUTSIDE the ceiling via "ALIAS_DIR/../x" (here: the --module-dir,
#      and a directory inside wasp's own code, which the serving process can read)
#   3. env keys, timeout 0, memory and output beyond the --max-* ceiling
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WASP=${WASP:-$ROOT/main.ts}
LAB=$(mktemp -d /tmp/wasp-wasmer-ceiling.XXXXXX)
mkdir -p "$LAB/ceil" "$LAB/ro" "$LAB/mods"
echo "original" > "$LAB/ro/data.txt"
echo "original module" > "$LAB/mods/victim.txt"
CODE_SUB="$ROOT/attacks/.pwn-target"; mkdir -p "$CODE_SUB"   # stands for any dir of wasp's code
cat > "$LAB/w.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
int main(int argc,char**argv){ FILE*f=fopen(argv[1],"w"); if(!f){perror(argv[1]);return 1;}
 fputs("PWNED-BY-GUEST\n",f); fclose(f); printf("wrote %s\n",argv[1]);
 printf("NOT_ALLOWED=%s\n", getenv("NOT_ALLOWED")?getenv("NOT_ALLOWED"):"(none)"); return 0;}
C
clang --target=wasm32-wasi -O2 "$LAB/w.c" -o "$LAB/mods/w.wasm"
UP=$(python3 -c 'import sys;print("/".join([".."]*sys.argv[1].count("/")))' "$LAB/ceil")
M="$LAB/mods/w.wasm"
cat > "$LAB/req.jsonl" <<J
{"id":"1-rw-on-ro-alias","kind":"wasm-run","engine":"wasmer","module":"$M","allow_dirs":[{"path":"$LAB/ro","guest":"/workspace/d","access":"read-write"}],"args":["/workspace/d/data.txt"],"limits":{"timeout_ms":120000}}
{"id":"2a-module-dir-via-dotdot","kind":"wasm-run","engine":"wasmer","module":"$M","allow_dirs":[{"path":"$LAB/ceil/../mods","guest":"/workspace/d"}],"args":["/workspace/d/victim.txt"],"limits":{"timeout_ms":120000}}
{"id":"2b-wasp-code-via-dotdot","kind":"wasm-run","engine":"wasmer","module":"$M","allow_dirs":[{"path":"$LAB/ceil/$UP$CODE_SUB","guest":"/workspace/d"}],"args":["/workspace/d/pwned.ts"],"limits":{"timeout_ms":120000}}
{"id":"3-limits-env","kind":"wasm-run","engine":"wasmer","module":"$M","allow_dirs":[{"path":"$LAB/ceil","guest":"/workspace/d"}],"args":["/workspace/d/x"],"env":{"NOT_ALLOWED":"yes"},"limits":{"timeout_ms":0,"max_memory_bytes":4294967296,"max_output_bytes":67108864}}
{"id":"control-pool","kind":"wasm-run","module":"$M","allow_dirs":[{"path":"$LAB/ro","guest":"/d","access":"read-write"}],"args":["/d/data.txt"]}
J
deno run -A "$WASP" serve --allow-dir "ceil=$LAB/ceil" --allow-dir "ro=$LAB/ro:ro" --module-dir "$LAB/mods" \
  --max-timeout 5000 --max-concurrency 2 --max-memory 64mb --max-output 1kb < "$LAB/req.jsonl" | python3 -c '
import json,sys
for l in sys.stdin:
  e=json.loads(l); p=e.get("policy") or {}
  print(e["id"], e["status"], e.get("error_kind"), repr(e["stdout"]), e.get("error") or "", "dirs=", p.get("dirs"), "limits=", {k:p.get("limits",{}).get(k) for k in ("timeout_ms","max_memory_bytes","max_output_bytes")})'
echo "--- read-only alias file now:";  cat "$LAB/ro/data.txt"
echo "--- module dir file now:";       cat "$LAB/mods/victim.txt"
echo "--- wasp code dir file now:";    cat "$CODE_SUB/pwned.ts" 2>&1 || true
rm -rf "$LAB" "$CODE_SUB"
