// A short-lived read cache for a session (the MCP server): an agent's follow-up calls (diagnose,
// then trace, then events) reuse one read of the cluster instead of re-reading it each time. Keyed
// by the input (context, kubeconfig, namespace, snapshot paths...), bounded in entries, and a
// caller can always force a fresh read. Concurrent calls with the same key share one load; a
// failed load is not cached.

/** How long a read is reused unless the caller says otherwise. */
export const DEFAULT_CACHE_TTL_MS = 30_000;
/** At most this many reads are kept (the oldest goes first). */
export const DEFAULT_CACHE_ENTRIES = 8;

export interface CacheOptions {
  /** Ignore any cached value and read again (the new value replaces the old one). */
  fresh?: boolean;
  /** Clock, for tests. */
  now?: () => number;
}

interface Entry {
  at: number;
  value: Promise<unknown>;
}

export class ReadCache {
  private entries = new Map<string, Entry>();

  constructor(readonly maxEntries = DEFAULT_CACHE_ENTRIES) {}

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  async load<T>(key: string, ttlMs: number, loader: () => Promise<T> | T, opts: CacheOptions = {}): Promise<T> {
    const now = opts.now ?? Date.now;
    const t = now();
    const hit = this.entries.get(key);
    if (hit && !opts.fresh && ttlMs > 0 && t - hit.at < ttlMs) return hit.value as Promise<T>;
    const value = Promise.resolve().then(loader);
    const entry: Entry = { at: t, value };
    this.entries.delete(key);
    if (ttlMs > 0) {
      this.entries.set(key, entry);
      while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    }
    try {
      return await value;
    } catch (e) {
      // A failure is not remembered: the next call tries again.
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw e;
    }
  }
}

/** The key of a read: every input that changes what is read, in a stable order. */
export function cacheKey(input: Record<string, unknown>): string {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, norm((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(norm(input));
}

const shared = new ReadCache();

/**
 * Reuse the value loaded for `key` within `ttlMs` (default 30 s) in this process, or load it.
 * `fresh: true` reads again. A `ttlMs` of 0 never caches.
 */
export function cachedLoad<T>(
  key: string,
  ttlMs: number | undefined,
  loader: () => Promise<T> | T,
  opts: CacheOptions = {},
): Promise<T> {
  return shared.load(key, ttlMs ?? DEFAULT_CACHE_TTL_MS, loader, opts);
}

/** Forget every cached read (e.g. after a write verb changed the cluster). */
export function clearReadCache(): void {
  shared.clear();
}
