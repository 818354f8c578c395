import { assert, assertEquals, assertMatch } from "./helpers/assert.ts";
import { ROOT, tree } from "./helpers/wasp.ts";

async function bash(args: string[], cwd?: string, env?: Record<string, string>) {
  const out = await new Deno.Command("bash", { args, cwd, env, stdout: "piped", stderr: "piped" })
    .output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("shell scripts pass bash -n and shellcheck", async () => {
  const scripts = ["scripts/install.sh", "scripts/setup.sh", ".ci/run", "examples/c/build.sh"];
  for (const s of scripts) assertEquals((await bash(["-n", `${ROOT}${s}`])).code, 0, s);
  const check = await new Deno.Command("shellcheck", {
    args: scripts.map((s) => `${ROOT}${s}`),
    stdout: "piped",
  }).output();
  assertEquals(new TextDecoder().decode(check.stdout), "");
  assertEquals(check.code, 0);
});

Deno.test("install.sh --help and a bad option", async () => {
  const help = await bash([`${ROOT}scripts/install.sh`, "--help"]);
  assertEquals(help.code, 0);
  assertMatch(help.stdout, /--allow-run=D/);
  const bad = await bash([`${ROOT}scripts/install.sh`, "--frobnicate"]);
  assertEquals(bad.code, 1);
  assertMatch(bad.stderr, /unknown option --frobnicate/);
});

Deno.test("install.sh installs a working wasp command, idempotently", async () => {
  const root = await tree();
  for (let i = 0; i < 2; i++) {
    const r = await bash([`${ROOT}scripts/install.sh`, "--root", root]);
    assertEquals(r.code, 0, r.stderr);
  }
  const shim = await Deno.readTextFile(`${root}/bin/wasp`);
  assertMatch(shim, /--allow-run=\S+deno/);
  assert(!/--allow-all|-A /.test(shim));
  const work = await tree({ "workspace/input.txt": "installed\n" });
  const out = await new Deno.Command(`${root}/bin/wasp`, {
    args: ["sample", "run", "workspace-probe", "--workspace", "./workspace"],
    cwd: work,
    stdout: "piped",
  }).output();
  const envelope = JSON.parse(new TextDecoder().decode(out.stdout));
  assertEquals(envelope.stdout, "installed\n");
  assertEquals(out.code, 0);
});

/**
 * Runs setup.sh --print-packages on a fake machine: `clang` reports `clangVersion` (or is
 * missing), apt would install clang `candidate`, and apt knows exactly the packages `known`.
 */
async function setupPackages(clangVersion: string | null, candidate: string, known: string[]) {
  const bin = await tree();
  for (const tool of ["sed", "awk", "head"]) {
    const path =
      (await new Deno.Command("bash", { args: ["-c", `command -v ${tool}`], stdout: "piped" })
        .output()).stdout;
    await Deno.symlink(new TextDecoder().decode(path).trim(), `${bin}/${tool}`);
  }
  const script = (body: string) => `#!/bin/bash\n${body}\n`;
  if (clangVersion !== null) {
    await Deno.writeTextFile(
      `${bin}/clang`,
      script(`echo "Debian clang version ${clangVersion}"; echo "Target: x86_64-pc-linux-gnu"`),
    );
  }
  await Deno.writeTextFile(
    `${bin}/apt-cache`,
    script(`
case "$1" in
  policy) printf 'clang:\\n  Installed: (none)\\n  Candidate: ${candidate}\\n' ;;
  show) for k in ${known.join(" ")}; do [[ "$2" == "$k" ]] && exit 0; done; exit 100 ;;
esac`),
  );
  for (const f of ["clang", "apt-cache"]) await Deno.chmod(`${bin}/${f}`, 0o755).catch(() => {});
  const bash = (await new Deno.Command("bash", { args: ["-c", "command -v bash"], stdout: "piped" })
    .output()).stdout;
  return await runIn(
    [new TextDecoder().decode(bash).trim(), `${ROOT}scripts/setup.sh`, "--print-packages"],
    bin,
  );
}

async function runIn(argv: string[], path: string) {
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    env: { PATH: path },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("setup.sh picks the wasm32 compiler-rt package of the installed clang's major version", async () => {
  const cases: [string | null, string, string[], string][] = [
    // Debian 12 / Ubuntu 22.04: clang 14, versioned and unversioned packages exist
    [
      "14.0.6",
      "1:14.0-55.7~deb12u1",
      ["libclang-rt-14-dev-wasm32", "libclang-rt-dev-wasm32"],
      "libclang-rt-14-dev-wasm32",
    ],
    // Ubuntu 24.04: clang 18
    ["18.1.3 (1ubuntu1)", "1:18.0-59~exp2", [
      "libclang-rt-18-dev-wasm32",
      "libclang-rt-14-dev-wasm32",
    ], "libclang-rt-18-dev-wasm32"],
    // Debian 13: clang 19
    [
      "19.1.7 (3)",
      "1:19.0-63",
      ["libclang-rt-19-dev-wasm32", "libclang-rt-dev-wasm32"],
      "libclang-rt-19-dev-wasm32",
    ],
    // clang not installed yet: apt's candidate decides
    [
      null,
      "1:19.0-63",
      ["libclang-rt-19-dev-wasm32", "libclang-rt-14-dev-wasm32"],
      "libclang-rt-19-dev-wasm32",
    ],
    // no versioned package for this clang: the unversioned one
    [
      "16.0.6",
      "1:16.0-57",
      ["libclang-rt-dev-wasm32", "libclang-rt-14-dev-wasm32"],
      "libclang-rt-dev-wasm32",
    ],
  ];
  for (const [clang, candidate, known, expected] of cases) {
    const r = await setupPackages(clang, candidate, known);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stdout.split("\n").filter((l) => l !== ""), [
      "clang",
      "lld",
      "wasi-libc",
      expected,
      "rustc",
      "cargo",
      "libstd-rust-dev-wasm32",
      "shellcheck",
    ], `clang ${clang}`);
  }
  const none = await setupPackages("17.0.6", "1:17.0-1", ["libclang-rt-14-dev-wasm32"]);
  assertEquals(none.code, 1);
  assertMatch(none.stderr, /no wasm32 compiler-rt package matches clang 17/);
});

Deno.test("install.sh --help prints only its help text; an install off PATH says how to reach it", async () => {
  const help = await bash([`${ROOT}scripts/install.sh`, "--help"]);
  assertMatch(help.stdout, /^Installs the `wasp` command/);
  assertEquals(/set -euo|DENO_VERSION=|^#/m.test(help.stdout), false, help.stdout);
  const root = await tree();
  const r = await bash([`${ROOT}scripts/install.sh`, "--root", root]);
  assertEquals(r.code, 0, r.stderr);
  assertMatch(r.stderr, new RegExp(`export PATH="${root}/bin:\\$PATH"`));
  assertMatch(r.stderr, /runs \S+\/main\.ts: keep this clone there/);
});
