/**
 * The tree lock: one file per user that every wasp run on the machine locks (flock) around
 * changes to directory structure in its grants. Runs that share a granted tree therefore
 * never interleave a check of one with a rename, removal or symlink of another. It lives
 * outside the usual grants (the user's cache directory); where a grant does contain it, the
 * WASI host refuses to move or remove it and its ancestors.
 * @module
 */

/** The directory chosen for the lock, once found (the file itself is checked every time). */
let cachedDir: string | null | undefined;

function env(key: string): string | undefined {
  try {
    return Deno.env.get(key) || undefined;
  } catch {
    return undefined;
  }
}

function candidates(): string[] {
  const out: string[] = [];
  const xdg = env("XDG_CACHE_HOME");
  const home = env("HOME");
  if (xdg?.startsWith("/")) out.push(`${xdg}/wasp`);
  if (home?.startsWith("/")) out.push(`${home}/.cache/wasp`);
  out.push("/tmp/wasp");
  return out.filter((d) => !d.includes(","));
}

function ensure(dir: string): string {
  Deno.mkdirSync(dir, { recursive: true });
  const path = Deno.realPathSync(dir) + "/tree.lock";
  Deno.openSync(path, { write: true, create: true }).close();
  return path;
}

/**
 * The host path of the tree lock, (re)created if missing; null when no candidate directory
 * can hold it (runs then go without the lock, relying on their other checks).
 */
export function treeLockPath(): string | null {
  if (cachedDir) {
    try {
      return ensure(cachedDir);
    } catch {
      // the directory went away: look again
    }
  }
  cachedDir = null;
  for (const dir of candidates()) {
    try {
      const path = ensure(dir);
      cachedDir = dir;
      return path;
    } catch {
      // try the next place
    }
  }
  return null;
}

/** Runs `fn` holding the tree lock `lock` (shared or exclusive); without a lock, just runs it. */
export function holding<T>(lock: Deno.FsFile | null, exclusive: boolean, fn: () => T): T {
  if (lock === null) return fn();
  lock.lockSync(exclusive);
  try {
    return fn();
  } finally {
    lock.unlockSync();
  }
}
