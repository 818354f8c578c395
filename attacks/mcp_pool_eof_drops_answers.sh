#!/usr/bin/env bash
# wasp mcp (pool, the default): after a call naming a module outside what the walled serving
# process may read (module_not_found), the calls received after it and before stdin's end are
# never answered (not even
# argument errors that start no run); with --wall process every one is answered (the run as
# "cancelled"), as the README promises. Prints the ids answered by each wall.
set -euo pipefail
WASP=${WASP:-$(cd "$(dirname "$0")/.." && pwd)/main.ts}
LAB=$(mktemp -d /tmp/wasp-mcp-eof.XXXXXX); mkdir -p "$LAB/ws" "$LAB/mods" "$LAB/secret"
echo 'int main(){return 0;}' > "$LAB/t.c"; clang --target=wasm32-wasi -O2 "$LAB/t.c" -o "$LAB/mods/t.wasm"; cp "$LAB/mods/t.wasm" "$LAB/secret/x.wasm"
python3 - > "$LAB/in.jsonl" <<'PY'
import json
print(json.dumps({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}))
print(json.dumps({"jsonrpc":"2.0","method":"notifications/initialized"}))
print(json.dumps({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"wasp_run","arguments":{"module":"../secret/x.wasm"}}}))
print(json.dumps({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"wasp_run","arguments":{"module":"t.wasm","mounts":[{"alias":"ws","guest":"/c"}]}}}))
print(json.dumps({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"wasp_run","arguments":{"module":"t.wasm","timeout_ms":0}}}))
PY
for w in process pool; do
  echo -n "--wall $w answered ids: "
  deno run -A "$WASP" mcp --wall "$w" --allow-dir "ws=$LAB/ws" --module-dir "$LAB/mods" < "$LAB/in.jsonl" |
    python3 -c 'import json,sys; print([json.loads(l).get("id") for l in sys.stdin])'
done
rm -rf "$LAB"
