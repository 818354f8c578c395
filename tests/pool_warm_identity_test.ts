/**
 * A warm Worker is used only if its Landlock rules were put on the very directories of its
 * key: a granted directory swapped for a symlink while the Worker was walled (by path) must
 * not hand a later run of the real grant a kernel wall around another directory.
 */
import { assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { tree } from "./helpers/wasp.ts";
import { Pool } from "../src/pool/pool.ts";

Deno.test("a pool does not use a warm Worker walled while its grant was swapped for a symlink", async () => {
  const dir = await tree({ "ceil/wk/in.txt": "A-content\n", "secret/in.txt": "OUTSIDE\n" });
  const wk = await Deno.realPath(`${dir}/ceil/wk`);
  const pool = new Pool({ size: 1, concurrency: 1 });
  const input = {
    module: await cGuest("fsops"),
    dirs: [{ host: wk, guest: "/w", access: "read-only" as const }],
    args: ["read:/w/in.txt"],
  };
  try {
    const first = await pool.run(input);
    assertEquals(first.stdout, "read ok A-content\n\n");
    // the refill of this grant's key is pending: wall it while the grant is a symlink
    await Deno.rename(wk, `${wk}.A`);
    await Deno.symlink(`${dir}/secret`, wk);
    await pool.warmed();
    await Deno.remove(wk);
    await Deno.rename(`${wk}.A`, wk);
    const second = await pool.run(input);
    assertEquals(second.stdout, "read ok A-content\n\n");
    assertEquals(second.status, "success");
  } finally {
    pool.close();
  }
});
