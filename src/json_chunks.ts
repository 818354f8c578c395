/**
 * JSON text produced piece by piece, so that a value holding huge strings (a guest's 64 MiB of
 * NUL bytes becomes 384 MiB of `\u0000` escapes) is written out without ever building the
 * whole text: V8 cannot hold a string that long, and the attempt takes the process down.
 * The output is byte for byte what `JSON.stringify(value, null, indent)` gives.
 * @module
 */

/**
 * A string whose text arrives in pieces (e.g. the JSON of another value), serialized as one
 * JSON string without ever being joined.
 */
export class StreamedString {
  /** The pieces of the string, in order; called once per serialization. */
  readonly pieces: () => Iterable<string>;
  constructor(pieces: () => Iterable<string>) {
    this.pieces = pieces;
  }
}

/** Strings longer than this are escaped slice by slice. */
const SLICE_CHARS = 256 * 1024;
/** Small pieces are gathered up to about this many characters before they are yielded. */
const CHUNK_CHARS = 256 * 1024;

/** Splits `text` into slices that never cut a surrogate pair. */
function* slices(text: string): Generator<string> {
  let at = 0;
  while (at < text.length) {
    let end = Math.min(text.length, at + SLICE_CHARS);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield text.slice(at, end);
    at = end;
  }
}

/** The escaped body (without quotes) of a JSON string, in pieces. */
function* escaped(pieces: Iterable<string>): Generator<string> {
  let pendingHigh = "";
  for (const piece of pieces) {
    let text = pendingHigh + piece;
    pendingHigh = "";
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      // keep a pair together across pieces: a lone half would be escaped on its own
      pendingHigh = text.slice(-1);
      text = text.slice(0, -1);
    }
    for (const slice of slices(text)) yield JSON.stringify(slice).slice(1, -1);
  }
  if (pendingHigh !== "") yield JSON.stringify(pendingHigh).slice(1, -1);
}

function* value(v: unknown, indent: string, step: string): Generator<string> {
  if (typeof v === "string") {
    if (v.length <= SLICE_CHARS) yield JSON.stringify(v);
    else yield* quoted([v]);
    return;
  }
  if (v instanceof StreamedString) {
    yield* quoted(v.pieces());
    return;
  }
  if (v === null || typeof v !== "object") {
    yield JSON.stringify(v) ?? "null";
    return;
  }
  const inner = indent + step;
  const open = step === "" ? "" : `\n${inner}`;
  const close = step === "" ? "" : `\n${indent}`;
  if (Array.isArray(v)) {
    if (v.length === 0) return yield "[]";
    yield "[";
    for (let i = 0; i < v.length; i++) {
      yield i === 0 ? open : `,${open}`;
      const item = v[i];
      if (item === undefined || typeof item === "function" || typeof item === "symbol") {
        yield "null";
      } else yield* value(item, inner, step);
    }
    yield `${close}]`;
    return;
  }
  const entries = Object.entries(v).filter(([, x]) =>
    x !== undefined && typeof x !== "function" && typeof x !== "symbol"
  );
  if (entries.length === 0) return yield "{}";
  yield "{";
  const colon = step === "" ? ":" : ": ";
  for (let i = 0; i < entries.length; i++) {
    const [k, x] = entries[i];
    yield `${i === 0 ? open : `,${open}`}${JSON.stringify(k)}${colon}`;
    yield* value(x, inner, step);
  }
  yield `${close}}`;
}

function* quoted(pieces: Iterable<string>): Generator<string> {
  yield '"';
  yield* escaped(pieces);
  yield '"';
}

/**
 * The JSON text of `v` (as `JSON.stringify(v, null, indent)` would give it) in pieces of about
 * 256 K characters. Plain data only: objects, arrays, strings, numbers, booleans, null and
 * StreamedString.
 */
export function* jsonChunks(v: unknown, indent = 0): Generator<string> {
  let buffer = "";
  for (const piece of value(v, "", " ".repeat(indent))) {
    buffer += piece;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = "";
    }
  }
  if (buffer !== "") yield buffer;
}

/**
 * The JSON text of `v` (then `suffix`) as UTF-8 byte chunks. The chunks share one buffer: each
 * is valid only until the next one is asked for (write it out first), which keeps memory flat
 * and uses `encodeInto`, many times faster here than allocating `encode`.
 */
export function* jsonBytes(v: unknown, indent = 0, suffix = ""): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  let buffer = new Uint8Array(0);
  const encode = (text: string) => {
    if (buffer.length < text.length * 3) buffer = new Uint8Array(text.length * 3);
    return buffer.subarray(0, encoder.encodeInto(text, buffer).written);
  };
  for (const chunk of jsonChunks(v, indent)) yield encode(chunk);
  if (suffix !== "") yield encode(suffix);
}
