/**
 * Help texts of the command line.
 * @module
 */

/** `wasp --help`. */
export const MAIN_HELP = `wasp - a deny-by-default WebAssembly (WASI preview1) execution firewall

Usage:
  wasp run <module.wasm> [options] [-- guest args...]
  wasp sample list | build <name> <out.wasm> | run <name> [--workspace DIR] [options]
  wasp task run --manifest <file.json|file.jsonc>
  wasp mcp [--allow-dir ALIAS=PATH[:ro]]... [--env KEY[=VALUE]]... [ceilings]
  wasp --version | --help | <command> --help

Every run prints exactly one JSON object on stdout. Exit status: 0 success,
1 the guest failed, 2 wasp refused to run, 3 internal error.
Run "wasp run --help", "wasp sample --help", "wasp task --help" or "wasp mcp --help"
for the options.
`;

/** `wasp run --help`. */
export const RUN_HELP = `Usage: wasp run <module.wasm> [options] [-- guest args...]

Runs a WASI preview1 command module with nothing granted but what you list.

Options:
  --allow-dir PATH[::GUEST]     grant a directory read-write (guest path defaults to PATH)
  --allow-dir-ro PATH[::GUEST]  grant a directory read-only
  --env KEY=VALUE               give the guest an environment variable (repeatable; later wins)
  --timeout MS                  wall-clock limit in ms (default 30000; 0 = none)
  --max-memory SIZE             guest memory cap, e.g. 268435456 or 256mb (default 512mb)
  --max-output SIZE             cap per output stream (default 1mb, at most 64mb)
  --max-sync-files N            wasmer engine: most files and dirs copied in/out (default 10000)
  --max-sync-bytes SIZE         wasmer engine: most bytes copied in/out (default 256mb)
  --stdin FILE|-                bytes for the guest's stdin (default: empty)
  --engine wasp|wasmer          the engine that runs the guest (default: wasp)
  --symlinks inside|deny        guest symlinks: only those that cannot lead out of their
                                grant (default), or none at all
  --pretty                      indent the JSON envelope
  -h, --help                    show this help

Nothing from the host environment, no network, no processes and no other files reach the guest.
`;

/** `wasp sample --help`. */
export const SAMPLE_HELP = `Usage:
  wasp sample list                         the built-in samples, as JSON
  wasp sample build <name> <out.wasm>      assemble a sample into a module file
  wasp sample run <name> [options] [-- guest args...]

Options of "sample run" (the same path as "wasp run"):
  --workspace DIR               grant DIR read-write (default: nothing)
  --env KEY=VALUE               give the guest an environment variable (repeatable)
  --timeout MS, --max-memory SIZE, --max-output SIZE, --stdin FILE|-, --engine NAME,
  --symlinks inside|deny, --pretty
`;

/** `wasp task --help`. */
export const TASK_HELP = `Usage: wasp task run --manifest <file.json|file.jsonc> [--pretty]

Runs the task a manifest describes ("kind": "sample" or "wasm-run"). Relative paths in the
manifest resolve against the manifest's directory. schemas/manifest.schema.json describes it.
`;

/** `wasp mcp --help`. */
export const MCP_HELP = `Usage: wasp mcp [options]

Serves MCP (Model Context Protocol) on stdin/stdout with the tools wasp_run, wasp_run_task
and wasp_policy. The options are the ceiling: no tool call can reach beyond them.

Options:
  --allow-dir ALIAS=PATH[:ro]   a directory agents may mount by ALIAS (read-write, or :ro)
  --env KEY[=VALUE]             an env key agents may set (VALUE: default given to every run)
  --module-dir PATH             a directory whose .wasm files agents may run (repeatable)
  --max-timeout MS              the longest a run may take (default 30000)
  --max-memory SIZE             guest memory ceiling (default 512mb)
  --max-output SIZE             output ceiling per stream (default 1mb)
  --max-concurrency N           runs at once; further calls wait (default 2)
`;
