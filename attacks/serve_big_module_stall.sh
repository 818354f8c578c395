#!/usr/bin/env bash
# wasp serve / pool: a request's module is read, hashed and prepared (instrumented, compiled)
# synchronously on the serving process's main thread. A 72 MB module (well under the 256 MiB
# module cap) blocks the event loop for over a minute: no other run's timeout fires, no answer
# goes out. Observed here: a tight-loop run with timeout_ms 1000 stopped after 86716 ms.
set -euo pipefail
WASP=${WASP:-$(cd "$(dirname "$0")/.." && pwd)/main.ts}
LAB=$(mktemp -d /tmp/wasp-bigmod.XXXXXX); mkdir -p "$LAB/mods"
echo 'int main(){volatile unsigned long x=0;for(;;)x++;}' > "$LAB/spin.c"
clang --target=wasm32-wasi -O2 "$LAB/spin.c" -o "$LAB/mods/spin.wasm"
python3 - "$LAB/mods/big.wasm" <<'PY'
import sys
def leb(n):
    o=b""
    while True:
        b=n&0x7f; n>>=7
        if n: o+=bytes([b|0x80])
        else: return o+bytes([b])
sec=lambda i,p: bytes([i])+leb(len(p))+p
NF=2000; body=leb(0)+b"\x41\x00\x1a"*12000+b"\x0b"
m=(b"\x00asm\x01\x00\x00\x00"+sec(1,leb(1)+b"\x60\x00\x00")+sec(3,leb(NF)+b"\x00"*NF)
   +sec(5,leb(1)+b"\x00\x01")+sec(7,leb(2)+leb(6)+b"_start\x00\x00"+leb(6)+b"memory\x02\x00")
   +sec(10,leb(NF)+(leb(len(body))+body)*NF))
open(sys.argv[1],"wb").write(m)
PY
{ echo "{\"id\":\"spin\",\"kind\":\"wasm-run\",\"module\":\"$LAB/mods/spin.wasm\",\"limits\":{\"timeout_ms\":1000}}"
  echo "{\"id\":\"big\",\"kind\":\"wasm-run\",\"module\":\"$LAB/mods/big.wasm\",\"limits\":{\"timeout_ms\":1000}}"; } |
  deno run -A "$WASP" serve --module-dir "$LAB/mods" |
  python3 -c 'import json,sys
for l in sys.stdin: e=json.loads(l); print(e["id"], e["error_kind"], "execution_time_ms", e["execution_time_ms"], "(timeout_ms 1000)")'
rm -rf "$LAB"
