import { assertEquals } from "./helpers/assert.ts";
import { cGuest } from "./helpers/guests.ts";
import { mcpClient } from "./helpers/mcp_client.ts";
import { schemaValidator } from "./helpers/schema.ts";
import { lines, tree, wasp } from "./helpers/wasp.ts";
import type { Envelope } from "../src/envelope.ts";
import type { Change } from "../src/report/types.ts";

async function sha(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function workspace(): Promise<string> {
  const dir = await tree({
    "ws/keep.txt": "old",
    "ws/del.txt": "gone",
    "ws/mv.txt": "move me",
    "ws/trunc.txt": "truncate me",
    "ws/olddir/": "",
  });
  return `${dir}/ws`;
}

/** Every kind of change, done by the audit guest below the guest path `g`. */
function everyChange(g: string): string[] {
  return [
    `write:${g}/new.txt:hello`,
    `append:${g}/keep.txt:more`,
    `rm:${g}/del.txt`,
    `rename:${g}/mv.txt:${g}/moved.txt`,
    `mkdir:${g}/d`,
    `rmdir:${g}/olddir`,
    `symlink:new.txt:${g}/ln`,
    `link:${g}/new.txt:${g}/hard`,
    `truncate:${g}/trunc.txt:3`,
    `tmp:${g}/scratch`,
  ];
}

/** A change as the report shows it, for a host root `h` and guest root `g`. */
function change(
  kind: Change["kind"],
  h: string,
  g: string,
  name: string,
  type: Change["type"],
  extra: Partial<Change> = {},
): Change {
  return { kind, host: `${h}/${name}`, guest: `${g}/${name}`, type, ...extra };
}

for (const wall of ["process", "worker", "pool"] as const) {
  Deno.test(`run() --changes lists every operation the guest performed, in order (${wall} wall)`, async () => {
    const ws = await workspace();
    const r = await wasp(
      [
        "run",
        await cGuest("audit"),
        "--allow-dir",
        `${ws}::/ws`,
        "--changes",
        "--",
        ...everyChange("/ws"),
      ],
      { env: { WASP_WALL: wall } },
    );
    assertEquals(r.envelope.status, "success", JSON.stringify(r.envelope));
    assertEquals(lines(r.envelope.stdout).every((l) => l.endsWith(" ok")), true, r.envelope.stdout);
    const hello = { size: 5, sha256: await sha("hello") };
    const from = (name: string) => ({ host: `${ws}/${name}`, guest: `/ws/${name}` });
    assertEquals(r.envelope.changes, [
      change("created", ws, "/ws", "new.txt", "file", hello),
      change("modified", ws, "/ws", "keep.txt", "file", { size: 7, sha256: await sha("oldmore") }),
      change("deleted", ws, "/ws", "del.txt", "file"),
      change("renamed", ws, "/ws", "moved.txt", "file", {
        from: from("mv.txt"),
        size: 7,
        sha256: await sha("move me"),
      }),
      change("created", ws, "/ws", "d", "dir"),
      change("deleted", ws, "/ws", "olddir", "dir"),
      change("created", ws, "/ws", "ln", "symlink", { target: "new.txt" }),
      change("created", ws, "/ws", "hard", "file", { from: from("new.txt"), ...hello }),
      change("modified", ws, "/ws", "trunc.txt", "file", { size: 3, sha256: await sha("tru") }),
      // a file created and deleted again: a rescan before and after would never see it
      change("created", ws, "/ws", "scratch", "file"),
      change("deleted", ws, "/ws", "scratch", "file"),
    ]);
    assertEquals(r.envelope.changes_dropped, 0);
    assertEquals(r.envelope.denials, []);
    assertEquals(await Deno.readLink(`${ws}/ln`), "new.txt");
  });
}

Deno.test("run() --changes shows a rename over an existing file as its deletion and the rename", async () => {
  const ws = await workspace();
  const r = await wasp([
    "run",
    await cGuest("audit"),
    "--allow-dir",
    `${ws}::/ws`,
    "--changes",
    "--",
    "rename:/ws/mv.txt:/ws/keep.txt",
    "append:/ws/keep.txt:!",
  ]);
  assertEquals(r.envelope.changes, [
    change("deleted", ws, "/ws", "keep.txt", "file"),
    change("renamed", ws, "/ws", "keep.txt", "file", {
      from: { host: `${ws}/mv.txt`, guest: "/ws/mv.txt" },
    }),
    change("modified", ws, "/ws", "keep.txt", "file", { size: 8, sha256: await sha("move me!") }),
  ]);
});

Deno.test("run() leaves trace and changes out of the envelope unless asked for", async () => {
  const ws = await workspace();
  const r = await wasp([
    "run",
    await cGuest("audit"),
    "--allow-dir",
    `${ws}::/ws`,
    "--",
    "rm:/ws/del.txt",
  ]);
  assertEquals(Object.keys(r.envelope).slice(-3), ["policy", "denials", "denials_dropped"]);
});

Deno.test("run() --changes with --trace validates against the envelope schema", async () => {
  const ws = await workspace();
  const r = await wasp([
    "run",
    await cGuest("audit"),
    "--allow-dir",
    `${ws}::/ws`,
    "--changes",
    "--trace",
    "--",
    ...everyChange("/ws"),
  ]);
  const validate = await schemaValidator("envelope.schema.json");
  assertEquals(validate(r.envelope), null);
  const calls = r.envelope.trace!.map((t) => t.call);
  assertEquals(calls.includes("path_rename") && calls.includes("path_symlink"), true);
  const rename = r.envelope.trace!.find((t) => t.call === "path_rename")!;
  assertEquals(rename.args, '3, "mv.txt", 3, "moved.txt"');
  assertEquals(rename.result, "ok");
  assertEquals(r.envelope.trace!.map((t) => t.seq), r.envelope.trace!.map((_, i) => i));
  assertEquals(r.envelope.trace_dropped, 0);
});

Deno.test("run() --engine wasmer --changes reports what its sync-back changed", async () => {
  const ws = await workspace();
  await Deno.mkdir(`${ws}/tree`);
  await Deno.writeTextFile(`${ws}/tree/f.txt`, "leaf");
  const g = "/workspace/ws";
  const r = await wasp([
    "run",
    await cGuest("audit"),
    "--engine",
    "wasmer",
    "--allow-dir",
    `${ws}::${g}`,
    "--changes",
    "--",
    `write:${g}/new.txt:hello`,
    `append:${g}/keep.txt:more`,
    `rm:${g}/del.txt`,
    `rename:${g}/mv.txt:${g}/moved.txt`,
    `mkdir:${g}/d`,
    `write:${g}/d/in.txt:in`,
    `rm:${g}/tree/f.txt`,
    `rmdir:${g}/tree`,
    `tmp:${g}/scratch`,
  ]);
  assertEquals(r.envelope.status, "success", JSON.stringify(r.envelope));
  // compared trees: a rename is a delete and a create, the scratch file is never seen
  const byPath = (a: Change, b: Change) => a.host.localeCompare(b.host);
  assertEquals(r.envelope.changes!.toSorted(byPath), [
    change("created", ws, g, "d", "dir"),
    change("created", ws, g, "d/in.txt", "file", { size: 2, sha256: await sha("in") }),
    change("deleted", ws, g, "del.txt", "file"),
    change("modified", ws, g, "keep.txt", "file", { size: 7, sha256: await sha("oldmore") }),
    change("created", ws, g, "moved.txt", "file", { size: 7, sha256: await sha("move me") }),
    change("deleted", ws, g, "mv.txt", "file"),
    change("created", ws, g, "new.txt", "file", { size: 5, sha256: await sha("hello") }),
    change("deleted", ws, g, "tree", "dir"),
    change("deleted", ws, g, "tree/f.txt", "file"),
  ]);
});

Deno.test("task run: a manifest's changes: true adds the change report", async () => {
  const ws = await workspace();
  const dir = ws.replace(/\/ws$/, "");
  await Deno.copyFile(await cGuest("audit"), `${dir}/audit.wasm`);
  await Deno.writeTextFile(
    `${dir}/task.json`,
    JSON.stringify({
      kind: "wasm-run",
      module: "audit.wasm",
      args: ["rm:/ws/del.txt"],
      allow_dirs: [{ path: "ws", guest: "/ws" }],
      changes: true,
    }),
  );
  const r = await wasp(["task", "run", "--manifest", `${dir}/task.json`]);
  assertEquals(r.envelope.changes, [change("deleted", ws, "/ws", "del.txt", "file")]);
  assertEquals("trace" in r.envelope, false);
});

Deno.test("mcp: wasp_run with changes: true reports the changes in the mounted directory", async () => {
  const ws = await workspace();
  const dir = ws.replace(/\/ws$/, "");
  await Deno.mkdir(`${dir}/mods`);
  await Deno.copyFile(await cGuest("audit"), `${dir}/mods/audit.wasm`);
  const client = await mcpClient(["--allow-dir", `ws=${ws}`, "--module-dir", `${dir}/mods`]);
  try {
    const r = await client.callTool({
      name: "wasp_run",
      arguments: {
        module: `${dir}/mods/audit.wasm`,
        args: ["write:/ws/new.txt:hello"],
        mounts: [{ alias: "ws" }],
        changes: true,
      },
    });
    const e = r.structuredContent as Envelope;
    assertEquals(e.changes, [
      change("created", ws, "/ws", "new.txt", "file", { size: 5, sha256: await sha("hello") }),
    ]);
  } finally {
    await client.close();
  }
});

Deno.test("run() stopped at its timeout reports trace and changes as not known (null)", async () => {
  const r = await wasp(["run", await cGuest("loop"), "--timeout", "300", "--trace", "--changes"]);
  assertEquals(r.envelope.error_kind, "timeout");
  assertEquals([r.envelope.trace, r.envelope.changes], [null, null]);
  assertEquals(r.envelope.denials, []);
});
