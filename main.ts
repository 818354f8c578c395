/**
 * wasp command line: argv → command → one JSON envelope → exit status.
 * Heavy modules are loaded only by the command that needs them.
 * @module
 */
import { envelopeFromError, exitStatusFor, refusal } from "./src/envelope.ts";
import { MAIN_HELP } from "./src/cli/help.ts";
import { hasPrintedEnvelope, isStreaming, reply, writeOut } from "./src/cli/output.ts";
import { VERSION } from "./src/version.ts";
import { markPhase, reportPhases } from "./src/phases.ts";

markPhase("parent: main.ts evaluated");

/** A command module: its entry point takes the arguments after the command's name. */
type CommandModule<K extends string> = Record<K, (argv: string[]) => Promise<number>>;

/**
 * Loads one of wasp's own modules by a computed specifier. Deno prefetches (reads, parses)
 * every string-literal dynamic import when it starts, so literal imports here would make each
 * command load every other command's module graph (the MCP server's, the samples'...).
 * scripts/compile.ts lists these modules with --include for a compiled binary; a test checks
 * that the list is complete.
 */
export function load<T>(path: string): Promise<T> {
  return import(new URL(path, import.meta.url).href);
}

/** Runs the CLI with `argv` and returns the process exit status. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "__wasp_reaper":
      // a compiled binary re-spawned as the reaper of one of its walled children
      await (await load<{ reap(pid: number): Promise<void> }>("./src/wall/reaper.ts"))
        .reap(Number(rest[0]));
      return 0;
    case "__wasp_broker":
      // a compiled binary re-spawned as the broker process of one of its runs
      await (await load<{ serveBroker(): Promise<void> }>("./src/wall/broker_process.ts"))
        .serveBroker();
      return 0;
    case "__wasp_child":
      // a compiled binary re-spawned as its own walled child (worker wall)
      (await load<{ hostWalledWorker(grants: string): void }>("./src/wall/worker_host.ts"))
        .hostWalledWorker(rest[0] ?? "{}");
      return await new Promise<number>(() => {});
    case "__wasp_serving":
      // re-spawned as the walled serving process of `wasp serve` or `wasp mcp`
      return await (await load<{ servingMain(config: string): Promise<number> }>(
        "./src/pool/serving_main.ts",
      )).servingMain(rest[0] ?? "{}");
    case "serve":
      return await (await load<CommandModule<"serveCommand">>("./src/cli/serve_command.ts"))
        .serveCommand(rest);
    case "--version":
    case "-V":
      await writeOut(`wasp ${VERSION}\n`);
      return 0;
    case undefined:
    case "--help":
    case "-h":
    case "help":
      await writeOut(MAIN_HELP);
      return 0;
    case "run": {
      const { runCommand } = await load<CommandModule<"runCommand">>("./src/cli/run_command.ts");
      markPhase("parent: run command loaded");
      return await runCommand(rest);
    }
    case "python": {
      const { pythonCommand } = await load<CommandModule<"pythonCommand">>(
        "./src/cli/python_command.ts",
      );
      return await pythonCommand(rest);
    }
    case "sample":
      return await (await load<CommandModule<"sampleCommand">>("./src/cli/sample_command.ts"))
        .sampleCommand(rest);
    case "task":
      return await (await load<CommandModule<"taskCommand">>("./src/cli/task_command.ts"))
        .taskCommand(rest);
    case "schema":
      return await (await load<CommandModule<"schemaCommand">>("./src/cli/schema_command.ts"))
        .schemaCommand(rest);
    case "mcp":
      return await (await load<CommandModule<"mcpCommand">>("./src/cli/mcp_command.ts")).mcpCommand(
        rest,
      );
    default: {
      const envelope = refusal(
        "invalid_argument",
        `unknown command "${command}"; run "wasp --help" for the commands`,
      );
      return await reply(envelope, rest.includes("--pretty"));
    }
  }
}

/** Last resort: an error nobody caught still becomes one envelope, never a stack trace. */
function failInternally(err: unknown): void {
  const envelope = envelopeFromError(err);
  if (!hasPrintedEnvelope()) {
    const text = JSON.stringify(isStreaming() ? { type: "result", ...envelope } : envelope) + "\n";
    try {
      Deno.stdout.writeSync(new TextEncoder().encode(text));
    } catch {
      // stdout is gone; nothing more can be said
    }
  }
  Deno.exit(exitStatusFor(envelope));
}

if (import.meta.main) {
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    failInternally(e.reason);
  });
  globalThis.addEventListener("error", (e) => {
    e.preventDefault();
    failInternally(e.error);
  });
  try {
    const status = await main(Deno.args);
    reportPhases();
    Deno.exit(status);
  } catch (err) {
    failInternally(err);
  }
}
