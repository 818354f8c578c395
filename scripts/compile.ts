/**
 * Builds standalone wasp binaries with `deno compile` for every release target.
 *
 *   deno task compile [--target TRIPLE]... [--out DIR] [--dry-run]
 *
 * A compiled binary ignores runtime permission flags, so the binary walls guests with the
 * worker wall (src/wall/worker_host.ts): it re-spawns itself as `wasp __wasp_child` and runs
 * the engine in a Worker whose `deno.permissions` are exactly the grants. That needs
 * `--unstable-worker-options`, baked in here. `deno compile` downloads Deno's runtime for
 * each target; where that is not reachable, `--dry-run` still prints the exact commands.
 * @module
 */
import { parseArgs } from "node:util";

/** Every target a release ships. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

/**
 * wasp's own modules that are loaded by computed specifiers (so that Deno does not prefetch
 * them on every start) and that `deno compile` therefore cannot find by itself.
 */
export const LAZY_MODULES = [
  "src/cli/run_command.ts",
  "src/cli/sample_command.ts",
  "src/cli/task_command.ts",
  "src/cli/schema_command.ts",
  "src/cli/mcp_command.ts",
  "src/cli/python_command.ts",
  "src/cli/serve_command.ts",
  "src/pool/serving_main.ts",
  "src/pool/serving_wall.ts",
  "src/pool/pool.ts",
  "src/pool/pool_worker.ts",
  "src/wall/reaper.ts",
  "src/wall/broker_process.ts",
  "src/wall/worker_host.ts",
  "src/wall/child_main.ts",
  "src/wall/child_wasmer.ts",
  "src/deps.ts",
];

/** The `deno compile` arguments for one target. */
export function compileArgs(target: string, outDir: string): string[] {
  const exe = target.includes("windows") ? ".exe" : "";
  return [
    "compile",
    "--target",
    target,
    "--no-prompt",
    "--unstable-worker-options",
    "--allow-read",
    "--allow-write",
    "--allow-run",
    "--allow-env",
    // the binary's walled Worker loads the C library (and only that: its own permissions are
    // scoped to it) to put up the kernel wall
    "--allow-ffi",
    ...LAZY_MODULES.flatMap((m) => ["--include", m]),
    "--include",
    "samples",
    "--output",
    `${outDir}/wasp-${target}${exe}`,
    "main.ts",
  ];
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      target: { type: "string", multiple: true },
      out: { type: "string", default: "dist" },
      "dry-run": { type: "boolean", default: false },
    },
    strict: true,
  });
  const root = new URL("../", import.meta.url).pathname;
  const targets = values.target ?? [...TARGETS];
  let failed = 0;
  for (const target of targets) {
    if (!(TARGETS as readonly string[]).includes(target)) {
      console.error(`unknown target ${target}; known: ${TARGETS.join(", ")}`);
      Deno.exit(2);
    }
    const args = compileArgs(target, values.out);
    if (values["dry-run"]) {
      console.log(["deno", ...args].join(" "));
      continue;
    }
    const { code } = await new Deno.Command(Deno.execPath(), { args, cwd: root }).output();
    if (code !== 0) {
      console.error(`deno compile failed for ${target} (exit ${code})`);
      failed++;
    }
  }
  Deno.exit(failed > 0 ? 1 : 0);
}
