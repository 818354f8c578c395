/**
 * Help texts of the command line.
 * @module
 */

/** `wasp --help`. */
export const MAIN_HELP = `wasp - a deny-by-default WebAssembly (WASI preview1) execution firewall

Usage:
  wasp run <module.wasm> [options] [-- guest args...]
  wasp --version | --help | <command> --help

Every run prints exactly one JSON object on stdout. Exit status: 0 success,
1 the guest failed, 2 wasp refused to run, 3 internal error.
Run "wasp run --help" for the options.
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
  --max-output SIZE             cap per output stream (default 1mb)
  --stdin FILE|-                bytes for the guest's stdin (default: empty)
  --engine wasp                 the engine that runs the guest (default: wasp)
  --pretty                      indent the JSON envelope
  -h, --help                    show this help

Nothing from the host environment, no network, no processes and no other files reach the guest.
`;
