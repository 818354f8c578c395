/**
 * The strict mode of `node:util`'s parseArgs, without Node: importing `node:util` loads Deno's
 * Node compatibility layer, which costs a cold `wasp run` more than all of its own argument
 * handling. It accepts the same command lines, fills the same values and positionals, and
 * fails with the same error codes and messages (argError in common_args.ts reads both), for
 * the features wasp's option tables use: string and boolean options, `multiple`, one-letter
 * `short` aliases (grouped like `-hc CODE`), `--name=value`, `-cVALUE` and `--`.
 * tests/parse_args_test.ts compares it with `node:util` on a corpus of command lines.
 * @module
 */
import type { parseArgs, ParseArgsOptionsConfig } from "node:util";

/** What `parseArgs` returns for these options in strict mode. */
export type StrictParse<O extends ParseArgsOptionsConfig, P extends boolean> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: P; strict: true }>
>;

interface OptionToken {
  name: string;
  rawName: string;
  value: string | undefined;
  inlineValue: boolean | undefined;
}

/** An error like Node's ERR_PARSE_ARGS_* (a TypeError with that `code`). */
function parseError(code: string, message: string): TypeError {
  return Object.assign(new TypeError(message), { code });
}

function longFor(short: string, options: ParseArgsOptionsConfig): string {
  for (const [name, config] of Object.entries(options)) {
    if (config.short === short) return name;
  }
  return short;
}

function typeOf(name: string, options: ParseArgsOptionsConfig): string | undefined {
  return Object.hasOwn(options, name) ? options[name].type : undefined;
}

/** Splits `args` into option tokens and positionals, as Node's tokenizer does. */
function tokenize(
  args: string[],
  options: ParseArgsOptionsConfig,
): (OptionToken | { positional: string })[] {
  const tokens: (OptionToken | { positional: string })[] = [];
  const rest = [...args];
  while (rest.length > 0) {
    const arg = rest.shift()!;
    if (arg === "--") {
      tokens.push(...rest.map((positional) => ({ positional })));
      break;
    }
    if (arg.length === 2 && arg[0] === "-" && arg[1] !== "-") {
      // -h, or -c VALUE
      const name = longFor(arg[1], options);
      const takes = typeOf(name, options) === "string" && rest.length > 0;
      const value = takes ? rest.shift() : undefined;
      tokens.push({ name, rawName: arg, value, inlineValue: takes ? false : undefined });
    } else if (arg.length > 2 && arg[0] === "-" && arg[1] !== "-") {
      if (typeOf(longFor(arg[1], options), options) !== "string") {
        // a group of one-letter options: -hc VALUE is -h -c VALUE, -hcVALUE is -h -cVALUE
        const expanded: string[] = [];
        for (let i = 1; i < arg.length; i++) {
          if (typeOf(longFor(arg[i], options), options) !== "string" || i === arg.length - 1) {
            expanded.push(`-${arg[i]}`);
          } else {
            expanded.push(`-${arg.slice(i)}`);
            break;
          }
        }
        rest.unshift(...expanded);
      } else {
        // -cVALUE
        const name = longFor(arg[1], options);
        tokens.push({ name, rawName: `-${arg[1]}`, value: arg.slice(2), inlineValue: true });
      }
    } else if (arg.length > 2 && arg.startsWith("--") && !arg.includes("=", 3)) {
      const name = arg.slice(2);
      const takes = typeOf(name, options) === "string" && rest.length > 0;
      const value = takes ? rest.shift() : undefined;
      tokens.push({ name, rawName: arg, value, inlineValue: takes ? false : undefined });
    } else if (arg.length > 2 && arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = arg.slice(2, eq);
      tokens.push({ name, rawName: `--${name}`, value: arg.slice(eq + 1), inlineValue: true });
    } else {
      tokens.push({ positional: arg });
    }
  }
  return tokens;
}

function checkOption(token: OptionToken, options: ParseArgsOptionsConfig, positionals: boolean) {
  if (!Object.hasOwn(options, token.name)) {
    const hint = positionals
      ? `. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- ${
        JSON.stringify(token.rawName)
      }`
      : "";
    throw parseError("ERR_PARSE_ARGS_UNKNOWN_OPTION", `Unknown option '${token.rawName}'${hint}`);
  }
  const config = options[token.name];
  const shortAndLong = `${config.short ? `-${config.short}, ` : ""}--${token.name}`;
  if (config.type === "string" && typeof token.value !== "string") {
    throw parseError(
      "ERR_PARSE_ARGS_INVALID_OPTION_VALUE",
      `Option '${shortAndLong} <value>' argument missing`,
    );
  }
  if (config.type === "boolean" && token.value !== undefined) {
    throw parseError(
      "ERR_PARSE_ARGS_INVALID_OPTION_VALUE",
      `Option '${shortAndLong}' does not take an argument`,
    );
  }
  const value = token.value;
  if (!token.inlineValue && value !== undefined && value.length > 1 && value[0] === "-") {
    const example = token.rawName.startsWith("--")
      ? `'${token.rawName}=-XYZ'`
      : `'--${token.name}=-XYZ' or '${token.rawName}-XYZ'`;
    throw parseError(
      "ERR_PARSE_ARGS_INVALID_OPTION_VALUE",
      `Option '${token.rawName}' argument is ambiguous.\nDid you forget to specify the option argument for '${token.rawName}'?\nTo specify an option argument starting with a dash use ${example}.`,
    );
  }
}

/** `parseArgs({ args, options, allowPositionals, strict: true })` of `node:util`. */
export function parseArgsStrict<O extends ParseArgsOptionsConfig, P extends boolean>(
  args: string[],
  options: O,
  allowPositionals: P,
): StrictParse<O, P> {
  const values: Record<string, string | boolean | (string | boolean)[]> = Object.create(null);
  const positionals: string[] = [];
  for (const token of tokenize(args, options)) {
    if ("positional" in token) {
      if (!allowPositionals) {
        throw parseError(
          "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL",
          `Unexpected argument '${token.positional}'. This command does not take positional arguments`,
        );
      }
      positionals.push(token.positional);
      continue;
    }
    checkOption(token, options, allowPositionals);
    if (token.name === "__proto__") continue;
    const value = token.value ?? true;
    if (options[token.name].multiple) {
      const list = values[token.name];
      values[token.name] = Array.isArray(list) ? [...list, value] : [value];
    } else {
      values[token.name] = value;
    }
  }
  return { values, positionals } as unknown as StrictParse<O, P>;
}
