/**
 * The same program built for wasm32-wasi (run under wasp) and for the host (run natively)
 * must print the same lines: a C program doing what wasi-libc programs do most, and a Rust
 * program using std::fs broadly.
 */
import { assertEquals } from "./helpers/assert.ts";
import { cGuest, nativeC } from "./helpers/guests.ts";
import { rustGuest } from "./helpers/rust.ts";
import { lines, tree, wasp } from "./helpers/wasp.ts";

/** Runs `native` on a fresh empty directory and `wasm` under wasp on another; both outputs. */
async function both(native: string, wasm: string): Promise<{ native: string[]; wasm: string[] }> {
  const dir = await tree({ "native/": "", "wasm/": "" });
  const res = await new Deno.Command(native, { args: [`${dir}/native`], stdout: "piped" })
    .output();
  assertEquals(res.code, 0);
  const r = await wasp(["run", wasm, "--allow-dir", `${dir}/wasm::/w`, "--", "/w"]);
  assertEquals(r.envelope.status, "success", r.envelope.error ?? r.envelope.stderr);
  return { native: lines(new TextDecoder().decode(res.stdout)), wasm: lines(r.envelope.stdout) };
}

Deno.test("a C program's directory, rename, unlink, truncate, seek and times calls print what they print on Linux", async () => {
  const out = await both(await nativeC("posix_common"), await cGuest("posix_common"));
  assertEquals(out.wasm, out.native);
  assertEquals(out.native.length > 80, true);
  assertEquals(out.native.at(-1), "final . .. b.txt d io.txt log.txt many t.link t.txt tdir y");
});

Deno.test("a Rust program using std::fs broadly prints what its native build prints", async () => {
  const out = await both(await rustGuest("std_fs", true), await rustGuest("std_fs"));
  assertEquals(out.wasm, out.native);
  assertEquals(out.native.at(-1), "final [linked.txt log.txt new.txt seek.bin]");
});
