/**
 * Compiled modules, cached by the SHA-256 of the bytes a run actually read (and the memory
 * cap they were instrumented for): never by path. A module changed on disk has another hash
 * and is compiled afresh; the same bytes under another name are compiled once.
 * @module
 */
import { createHash } from "node:crypto";
import { WaspError } from "../envelope.ts";
import type { Outcome } from "../engine/mod.ts";
import { type PreparedModule, prepareModuleAsync } from "../engine/wasp.ts";

/** A small LRU of prepared modules. */
export class ModuleCache {
  readonly #entries = new Map<string, PreparedModule>();
  readonly #max: number;

  /** Keeps at most `max` compiled modules (the least recently used goes first). */
  constructor(max = 8) {
    this.#max = max;
  }

  /**
   * The prepared module for `bytes` (whose SHA-256 is `sha256`, as hashed when they were read)
   * under a memory cap of `cap`, or the outcome that refuses them. Refusals are not cached.
   * Bytes are hashed here before they are compiled into the cache: a Policy whose bytes are
   * not the ones its hash names (forged, or changed in place) never poisons it.
   */
  async get(
    sha256: string,
    bytes: Uint8Array,
    cap: number,
    name: string,
  ): Promise<PreparedModule | Outcome> {
    const key = `${sha256}:${cap}`;
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    if (createHash("sha256").update(bytes).digest("hex") !== sha256) {
      throw new WaspError(
        "policy_error",
        `the bytes of module ${name} do not match its moduleSha256; build the Policy again with buildPolicy()`,
      );
    }
    // compiled off this thread: the pool's other runs go on meanwhile
    const prepared = await prepareModuleAsync(bytes, cap, name);
    if ("kind" in prepared) return prepared;
    this.#entries.set(key, prepared);
    while (this.#entries.size > this.#max) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    return prepared;
  }

  /** How many compiled modules are held. */
  get size(): number {
    return this.#entries.size;
  }
}
