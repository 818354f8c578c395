/**
 * The option tables of the commands that run a guest: each table is what node:util parseArgs
 * parses, and its documentation is keyed by the same names (the compiler checks that every
 * option is documented and nothing else is), so help texts and the README's command summary
 * are generated from, never beside, what the parser accepts.
 * @module
 */

/** How one option is shown: its value's placeholder (none for flags) and a one-line help. */
export interface OptionDoc {
  value?: string;
  help: string;
  /** May be given more than once. */
  repeat?: boolean;
  /** Must be given (shown without brackets). */
  required?: boolean;
}

/** Options of every command that runs a guest (`run`, `sample run`). */
export const RUN_LIKE_OPTIONS = {
  env: { type: "string", multiple: true },
  timeout: { type: "string" },
  "max-memory": { type: "string" },
  "max-output": { type: "string" },
  "max-stdin": { type: "string" },
  "max-file-size": { type: "string" },
  "max-sync-files": { type: "string" },
  "max-sync-bytes": { type: "string" },
  stdin: { type: "string" },
  "output-encoding": { type: "string" },
  engine: { type: "string" },
  symlinks: { type: "string" },
  trace: { type: "boolean" },
  changes: { type: "boolean" },
  pretty: { type: "boolean" },
  stream: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const RUN_LIKE_DOCS: { [K in keyof typeof RUN_LIKE_OPTIONS]: OptionDoc } = {
  env: {
    value: "KEY=VALUE",
    help: "an environment variable for the guest (repeatable; later wins)",
    repeat: true,
  },
  timeout: {
    value: "MS",
    help: "wall-clock limit in ms, reading stdin too (default 30000; 0 = none; at most 2147483647)",
  },
  "max-memory": {
    value: "SIZE",
    help: "cap over all guest memories together (default 512mb, at most 4gb)",
  },
  "max-output": { value: "SIZE", help: "bytes kept per output stream (default 1mb, at most 64mb)" },
  "max-stdin": { value: "SIZE", help: "most bytes of stdin accepted (default 64mb, at most 1gb)" },
  "max-file-size": { value: "SIZE", help: "largest file the guest may write (default: none)" },
  "max-sync-files": {
    value: "N",
    help: "wasmer engine: most files and dirs copied in/out (default 10000, at most 1000000)",
  },
  "max-sync-bytes": {
    value: "SIZE",
    help: "wasmer engine: most bytes copied in/out (default 256mb, at most 4gb)",
  },
  stdin: {
    value: "FILE|-",
    help: "guest stdin: a regular file, or - for wasp's stdin (default: empty)",
  },
  "output-encoding": {
    value: "utf8|base64",
    help: "stdout/stderr as UTF-8 text (default) or base64 of the bytes",
  },
  engine: { value: "wasp|wasmer", help: "the engine that runs the guest (default: wasp)" },
  symlinks: {
    value: "inside|deny",
    help: "guest symlinks: those that cannot lead out of their grant (default), or none",
  },
  trace: { help: "add every host call (call, args, result, µs) to the envelope as `trace`" },
  changes: {
    help: "add what the run created, modified, deleted, renamed in rw grants as `changes`",
  },
  pretty: { help: "indent the JSON envelope" },
  stream: {
    help: "print NDJSON: output events as the guest writes, progress, the envelope last",
  },
  help: { help: "show this help" },
};

/** Options of `wasp run`. */
export const RUN_OPTIONS = {
  "allow-dir": { type: "string", multiple: true },
  "allow-dir-ro": { type: "string", multiple: true },
  ...RUN_LIKE_OPTIONS,
} as const;

/** Documentation of RUN_OPTIONS. */
export const RUN_DOCS: { [K in keyof typeof RUN_OPTIONS]: OptionDoc } = {
  "allow-dir": {
    value: "PATH[::GUEST]",
    help: "grant a directory read-write at GUEST (default: PATH as written)",
    repeat: true,
  },
  "allow-dir-ro": { value: "PATH[::GUEST]", help: "grant a directory read-only", repeat: true },
  ...RUN_LIKE_DOCS,
};

const {
  engine: _engine,
  "max-sync-files": _syncFiles,
  "max-sync-bytes": _syncBytes,
  ...PYTHON_LIKE_OPTIONS
} = RUN_LIKE_OPTIONS;
const {
  engine: _engineDoc,
  "max-sync-files": _syncFilesDoc,
  "max-sync-bytes": _syncBytesDoc,
  ...PYTHON_LIKE_DOCS
} = RUN_LIKE_DOCS;

/**
 * Options of `wasp python`: those of `wasp run` but the engine's (Python runs on wasp's own
 * engine, never the wasmer one).
 */
export const PYTHON_OPTIONS = {
  code: { type: "string", short: "c" },
  "allow-dir": { type: "string", multiple: true },
  "allow-dir-ro": { type: "string", multiple: true },
  ...PYTHON_LIKE_OPTIONS,
} as const;

/** Documentation of PYTHON_OPTIONS. */
export const PYTHON_DOCS: { [K in keyof typeof PYTHON_OPTIONS]: OptionDoc } = {
  code: { value: "CODE", help: "the program as text (-c CODE), instead of a script file" },
  "allow-dir": RUN_DOCS["allow-dir"],
  "allow-dir-ro": RUN_DOCS["allow-dir-ro"],
  ...PYTHON_LIKE_DOCS,
};

/** Options of `wasp sample run`. */
export const SAMPLE_RUN_OPTIONS = {
  workspace: { type: "string" },
  ...RUN_LIKE_OPTIONS,
} as const;

/** Documentation of SAMPLE_RUN_OPTIONS. */
export const SAMPLE_RUN_DOCS: { [K in keyof typeof SAMPLE_RUN_OPTIONS]: OptionDoc } = {
  workspace: { value: "DIR", help: "grant DIR read-write at DIR as written (default: nothing)" },
  ...RUN_LIKE_DOCS,
};

/** Options of `wasp sample list` and `wasp sample build`. */
export const SAMPLE_OTHER_OPTIONS = {
  pretty: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Options of `wasp task run`. */
export const TASK_OPTIONS = {
  manifest: { type: "string" },
  pretty: { type: "boolean" },
  stream: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Documentation of TASK_OPTIONS. */
export const TASK_DOCS: { [K in keyof typeof TASK_OPTIONS]: OptionDoc } = {
  manifest: {
    value: "<file.json|file.jsonc>",
    required: true,
    help: "the manifest: strict JSON (.json) or JSON with comments (.jsonc)",
  },
  pretty: { help: "indent the JSON envelope" },
  stream: RUN_LIKE_DOCS.stream,
  help: { help: "show this help" },
};

/** `[--name VALUE]...` for each option but --help, in table order. */
export function synopsis(docs: Record<string, OptionDoc>): string[] {
  return Object.entries(docs)
    .filter(([name]) => name !== "help")
    .map(([name, d]) => {
      const text = `--${name}${d.value ? ` ${d.value}` : ""}`;
      return d.required ? text : `[${text}]${d.repeat ? "..." : ""}`;
    });
}

/** The option lines of a help text: `  --name VALUE   help`. */
export function optionLines(docs: Record<string, OptionDoc>): string {
  const rows = Object.entries(docs).map(([name, d]) => [
    `${name === "help" ? "-h, " : ""}--${name}${d.value ? ` ${d.value}` : ""}`,
    d.help,
  ]);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, help]) => `  ${left.padEnd(width)}${help}\n`).join("");
}

/** Words laid out after `head`, wrapped at `width`, continuation lines indented by `indent`. */
export function wrapWords(head: string, words: string[], indent = 9, width = 96): string {
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  let line = head;
  for (const w of words) {
    if (line.length + 1 + w.length > width && line.trim() !== "") {
      lines.push(line);
      line = pad + w;
    } else {
      line += ` ${w}`;
    }
  }
  lines.push(line);
  return lines.join("\n") + "\n";
}
