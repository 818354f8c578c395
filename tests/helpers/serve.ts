/** Runs `wasp serve` with a list of requests as its input (for the serve tests). */
import { lines, PARENT_FLAGS, ROOT, withDeadline } from "./wasp.ts";
import type { Envelope } from "../../src/envelope.ts";

/** One answer line of `wasp serve`. */
export type Answer = Envelope & { id: unknown };

/**
 * Runs `wasp serve ARGS`, writes `requests` (then, if given, awaits `before` and writes
 * `more`), closes its input and returns its answers in the order they came.
 */
export async function serve(
  args: string[],
  requests: unknown[],
  options: { before?: () => Promise<void>; more?: unknown[] } = {},
): Promise<{ code: number; answers: Answer[]; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...PARENT_FLAGS, `${ROOT}main.ts`, "serve", ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  const send = (list: unknown[]) =>
    w.write(new TextEncoder().encode(
      list.map((r) => typeof r === "string" ? r : JSON.stringify(r)).join("\n") + "\n",
    ));
  await send(requests);
  if (options.before) await withDeadline(options.before(), "serve test step");
  if (options.more) await send(options.more);
  await w.close();
  const out = await withDeadline(child.output(), "wasp serve");
  const stdout = new TextDecoder().decode(out.stdout);
  return {
    code: out.code,
    answers: lines(stdout).map((l) => JSON.parse(l) as Answer),
    stderr: new TextDecoder().decode(out.stderr),
  };
}
