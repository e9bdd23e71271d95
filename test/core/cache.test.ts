import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cachedLoad, cacheKey, clearReadCache, DEFAULT_CACHE_TTL_MS, ReadCache } from '../../src/core/cache.js';

describe('core/cache: the per-session read cache', () => {
  it('reuses a read within the TTL, reads again after it', async () => {
    const c = new ReadCache();
    let t = 1000;
    let reads = 0;
    const load = () => c.load('k', 30_000, () => ++reads, { now: () => t });
    assert.equal(await load(), 1);
    t += 29_999;
    assert.equal(await load(), 1);
    t += 2;
    assert.equal(await load(), 2);
    assert.equal(reads, 2);
  });

  it('fresh: true forces a new read, and the new value replaces the cached one', async () => {
    const c = new ReadCache();
    let reads = 0;
    assert.equal(await c.load('k', 30_000, () => ++reads), 1);
    assert.equal(await c.load('k', 30_000, () => ++reads, { fresh: true }), 2);
    assert.equal(await c.load('k', 30_000, () => ++reads), 2);
  });

  it('different inputs are different entries; the key ignores property order and undefined fields', async () => {
    assert.equal(
      cacheKey({ context: 'a', namespace: 'x', snapshot: undefined }),
      cacheKey({ namespace: 'x', context: 'a' }),
    );
    assert.notEqual(cacheKey({ context: 'a', namespace: 'x' }), cacheKey({ context: 'a', namespace: 'y' }));
    assert.notEqual(cacheKey({ snapshot: ['a', 'b'] }), cacheKey({ snapshot: ['b', 'a'] }));
    const c = new ReadCache();
    let reads = 0;
    await c.load(cacheKey({ context: 'a' }), 30_000, () => ++reads);
    await c.load(cacheKey({ context: 'b' }), 30_000, () => ++reads);
    await c.load(cacheKey({ context: 'a' }), 30_000, () => ++reads);
    assert.equal(reads, 2);
  });

  it('is bounded: the oldest entry goes first', async () => {
    const c = new ReadCache(3);
    let reads = 0;
    for (const k of ['a', 'b', 'c', 'd']) await c.load(k, 30_000, () => ++reads);
    assert.equal(c.size, 3);
    await c.load('b', 30_000, () => ++reads);
    assert.equal(reads, 4, 'b is still cached');
    await c.load('a', 30_000, () => ++reads);
    assert.equal(reads, 5, 'a was evicted');
  });

  it('concurrent calls share one load; a failed load is not cached', async () => {
    const c = new ReadCache();
    let reads = 0;
    const slow = () => new Promise<number>((r) => setTimeout(() => r(++reads), 20));
    const [x, y] = await Promise.all([c.load('k', 30_000, slow), c.load('k', 30_000, slow)]);
    assert.equal(x, 1);
    assert.equal(y, 1);
    let fails = 0;
    await assert.rejects(
      c.load('e', 30_000, () => {
        fails++;
        throw new Error('403 forbidden');
      }),
      /403/,
    );
    assert.equal(await c.load('e', 30_000, () => 'ok'), 'ok');
    assert.equal(fails, 1);
  });

  it('ttl 0 never caches; cachedLoad defaults to about 30 s and clearReadCache forgets', async () => {
    const c = new ReadCache();
    let reads = 0;
    await c.load('k', 0, () => ++reads);
    await c.load('k', 0, () => ++reads);
    assert.equal(reads, 2);
    assert.equal(c.size, 0);
    assert.ok(DEFAULT_CACHE_TTL_MS >= 10_000 && DEFAULT_CACHE_TTL_MS <= 60_000);
    let n = 0;
    const key = `test-${Math.random()}`;
    await cachedLoad(key, undefined, () => ++n);
    await cachedLoad(key, undefined, () => ++n);
    assert.equal(n, 1);
    clearReadCache();
    await cachedLoad(key, undefined, () => ++n);
    assert.equal(n, 2);
  });
});
