/**
 * Where Deno keeps its module cache, as this process sees it.
 * @module
 */

/** Deno's cache directory as the parent sees it, passed on so the child can use its cache. */
export function denoDir(): string | undefined {
  const env = (k: string) => {
    try {
      return Deno.env.get(k) || undefined;
    } catch {
      return undefined; // no permission to read it: as if unset
    }
  };
  const explicit = env("DENO_DIR");
  if (explicit) return explicit;
  if (Deno.build.os === "windows") {
    const local = env("LOCALAPPDATA");
    return local ? `${local}\\deno` : undefined;
  }
  const home = env("HOME");
  if (Deno.build.os === "darwin") return home ? `${home}/Library/Caches/deno` : undefined;
  const xdg = env("XDG_CACHE_HOME");
  return xdg ? `${xdg}/deno` : home ? `${home}/.cache/deno` : undefined;
}
