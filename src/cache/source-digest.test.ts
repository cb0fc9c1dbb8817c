import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileChange } from '../types.js';
import { openBlobCache } from './blob-cache.js';
import { DigestStore, digestKey, digestOf, isSourceDigest, restoreCounts, ruleKey, shardOf, SHARDS, withCommits, type SourceDigest } from './source-digest.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'reldiff-digest-'));
  dirs.push(dir);
  return dir;
}

const file = (over: Partial<FileChange> = {}): FileChange => ({ path: 'src/app.js', status: 'modified', binary: false, additions: 1, deletions: 1,
  added: [{ start: 2, end: 2 }], removed: [{ start: 2, end: 2 }], commits: ['a'.repeat(40)], blob: 'b'.repeat(40), oldBlob: 'c'.repeat(40),
  hunks: [{ oldStart: 2, oldLines: 1, newStart: 2, newLines: 1, lines: ['-  clearInterval(t);', '+  const cache = {};'] }], ...over });

const digest = (over: Partial<SourceDigest> = {}): SourceDigest => ({ ...digestOf(file()),
  rules: { findings: [{ rule: 'r', severity: 'high', file: 'src/app.js', line: 2, message: 'm', excerpt: { start: 1, lines: ['x'] } }], warnings: ['w'] }, ...over });

describe('source digests', () => {
  it('hold what the patch gave, and put the counts back on a file from a tree diff', () => {
    const d = digestOf(file({ binary: false, truncated: true }));
    expect(d.heuristics.map(h => h.id)).toContain('src-removed-cleanup');
    expect(d).toMatchObject({ additions: 1, deletions: 1, truncated: true, kind: 'runtime' });
    const bare = file({ additions: 0, deletions: 0, hunks: [], added: [], removed: [] });
    restoreCounts(bare, { ...d, binary: true });
    expect(bare).toMatchObject({ binary: true, additions: 1, deletions: 1, truncated: true });
    // The run's own commits go on the findings, the cached copy is left as it was.
    const [found] = withCommits(digest().rules?.findings ?? [], ['d'.repeat(40)]);
    expect(found?.commits).toEqual(['d'.repeat(40)]);
    expect(isSourceDigest(digest())).toBe(true);
  });

  it('are keyed by path, status, both blobs and the rule settings', () => {
    const key = digestKey(file(), ruleKey({}));
    expect(digestKey(file(), ruleKey(undefined))).toBe(key);
    expect(digestKey(file({ blob: 'e'.repeat(40) }), ruleKey({}))).not.toBe(key);
    expect(digestKey(file({ oldBlob: 'e'.repeat(40) }), ruleKey({}))).not.toBe(key);
    expect(digestKey(file({ path: 'src/other.js' }), ruleKey({}))).not.toBe(key);
    expect(digestKey(file({ status: 'added' }), ruleKey({}))).not.toBe(key);
    expect(digestKey(file(), ruleKey({ 'removed-cleanup': 'off' }))).not.toBe(key);
    expect(ruleKey({ a: 'off', b: 'low' })).toBe(ruleKey({ b: 'low', a: 'off' }));
  });

  it('refuse a value of the wrong shape', () => {
    for (const bad of [null, 1, [], { ...digest(), additions: -1 }, { ...digest(), heuristics: [{ id: 1, args: {} }] },
      { ...digest(), rules: { findings: [{ rule: 'r' }], warnings: [] } }, { ...digest(), rules: { findings: [], warnings: [3] } },
      { ...digest(), rules: { findings: [{ ...digest().rules?.findings[0], commits: [] }], warnings: [] } }]) {
      expect(isSourceDigest(bad)).toBe(false);
    }
  });

  it('are read back per blob pair by another run, and per run from one entry, and a damaged entry is absent', () => {
    const dir = tempDir();
    const key = digestKey(file(), ruleKey({}));
    const first = new DigestStore(openBlobCache(dir, { version: 't' }), 'run-1');
    expect(first.get(key)).toBeUndefined();
    first.keep(key, digest(), true);
    first.close();
    const entries = (): string[] => readdirSync(dir).flatMap(s => readdirSync(join(dir, s)).map(f => join(dir, s, f)));
    expect(entries()).toHaveLength(3); // the pair's shard, the run's entry and the latest run's
    // One push later: another run key, the same pair.
    const other = new DigestStore(openBlobCache(dir, { version: 't' }), 'run-2');
    expect(other.get(key)).toEqual(digest());
    other.keep(key, digest(), false);
    other.close();
    expect(entries()).toHaveLength(4); // run-2's own, and the latest run's rewritten
    // The same run again reads the run's one entry, not the pair's.
    const real = openBlobCache(dir, { version: 't' });
    const asked: string[] = [];
    const counting = { ...real, get: <T>(kind: string, k: string, accept: (v: unknown) => v is T): T | undefined => { asked.push(kind); return real.get(kind, k, accept); } };
    expect(new DigestStore(counting, 'run-1').get(key)).toEqual(digest());
    expect(asked).toEqual(['source-digests-of-run']);
    // Another run key (one push later) takes every pair the latest run holds from that one entry.
    asked.length = 0;
    const other2 = openBlobCache(dir, { version: 't' });
    const key2 = digestKey(file({ path: 'src/second.js' }), ruleKey({}));
    const latestRun = new DigestStore(other2, 'run-3');
    latestRun.keep(key, digest(), false);
    latestRun.keep(key2, digest({ additions: 7 }), true);
    latestRun.close();
    expect(new DigestStore(counting, 'run-4').get(key2)).toEqual(digest({ additions: 7 }));
    expect(asked).toEqual(['source-digests-of-run', 'source-digests-latest']);
    for (const f of entries()) writeFileSync(f, 'damaged');
    const damaged = new DigestStore(openBlobCache(dir, { version: 't' }), 'run-1');
    expect(damaged.get(key)).toBeUndefined();
    // Another reldiff version never reads them.
    const fresh = new DigestStore(openBlobCache(dir, { version: 't' }), 'run-1');
    fresh.keep(key, digest(), true);
    fresh.close();
    expect(new DigestStore(openBlobCache(dir, { version: 'u' }), 'run-1').get(key)).toBeUndefined();
  });
});

/** A blob cache that records the kind of every read. */
function counting(dir: string): { cache: ReturnType<typeof openBlobCache>; asked: string[] } {
  const real = openBlobCache(dir, { version: 't' });
  const asked: string[] = [];
  return { asked, cache: { ...real, get: <T>(kind: string, k: string, accept: (v: unknown) => v is T): T | undefined => { asked.push(kind); return real.get(kind, k, accept); } } };
}

/** `count` digest keys that fall in one shard, and one in another. */
function keysInOneShard(count: number): { same: string[]; other: string } {
  const all = Array.from({ length: 40 * SHARDS }, (_, i) => digestKey(file({ path: `src/s${i}.js`, blob: i.toString(16).padStart(40, '0') }), ruleKey({})));
  const target = shardOf(all[0] as string);
  const same = all.filter(k => shardOf(k) === target).slice(0, count);
  const other = all.find(k => shardOf(k) !== target) as string;
  expect(same).toHaveLength(count);
  return { same, other };
}

describe('source digests in shards (a run on other refs)', () => {
  it('are found by a run that shares neither refs nor the latest run, its shard read once for all the keys it holds', () => {
    const dir = tempDir();
    const { same, other } = keysInOneShard(3);
    const first = new DigestStore(openBlobCache(dir, { version: 't' }), 'release a');
    same.forEach((k, i) => first.keep(k, digest({ additions: i + 1 }), true));
    first.close();
    // An unrelated run writes last: the latest entry no longer holds the first run's pairs.
    const between = new DigestStore(openBlobCache(dir, { version: 't' }), 'release b');
    between.keep(other, digest({ additions: 99 }), true);
    between.close();
    const { cache, asked } = counting(dir);
    const later = new DigestStore(cache, 'release c');
    expect(same.map(k => later.get(k)?.additions)).toEqual([1, 2, 3]);
    expect(asked).toEqual(['source-digests-of-run', 'source-digests-latest', 'source-digest-shard']);
    // A key of no run is a miss, after one read of its own shard.
    const unknown = digestKey(file({ path: 'src/never.js' }), ruleKey({}));
    expect(later.get(unknown)).toBeUndefined();
    expect(later.get(unknown)).toBeUndefined();
    expect(asked.filter(k => k === 'source-digest-shard').length).toBe(shardOf(unknown) === shardOf(same[0] as string) ? 1 : 2);
  });

  it('merge what each run added, and keep the newest past the limit, oldest dropped first', () => {
    const dir = tempDir();
    const { same } = keysInOneShard(5);
    const run = (name: string, keys: string[]): void => {
      const store = new DigestStore(openBlobCache(dir, { version: 't' }), name, { shardLimit: 3 });
      for (const k of keys) store.keep(k, digest({ additions: same.indexOf(k) + 10 }), true);
      store.close();
    };
    run('one', [same[0] as string, same[1] as string]);
    run('two', [same[2] as string]);
    // The first run's pairs are in neither the latest entry nor this run's: only the merged shard holds them.
    const merged = new DigestStore(openBlobCache(dir, { version: 't' }), 'three');
    expect(same.slice(0, 3).map(k => merged.get(k)?.additions)).toEqual([10, 11, 12]);
    run('four', [same[3] as string, same[4] as string]);
    const bounded = new DigestStore(openBlobCache(dir, { version: 't' }), 'five');
    expect(same.map(k => bounded.get(k)?.additions)).toEqual([undefined, undefined, 12, 13, 14]);
    // A pair read again is the newest: it outlives pairs written before it.
    run('six', [same[2] as string, same[0] as string]);
    const again = new DigestStore(openBlobCache(dir, { version: 't' }), 'seven');
    expect(same.map(k => again.get(k)?.additions)).toEqual([10, undefined, 12, undefined, 14]);
  });

  it('a damaged shard is absent, and the next run that reads a pair of it writes it whole again', () => {
    const dir = tempDir();
    const { same } = keysInOneShard(2);
    const first = new DigestStore(openBlobCache(dir, { version: 't' }), 'one');
    first.keep(same[0] as string, digest(), true);
    first.close();
    for (const s of readdirSync(dir)) for (const f of readdirSync(join(dir, s))) writeFileSync(join(dir, s, f), '\x1f\x8b garbage');
    const second = new DigestStore(openBlobCache(dir, { version: 't' }), 'two');
    expect(second.get(same[0] as string)).toBeUndefined();
    expect(second.get(same[1] as string)).toBeUndefined();
    second.keep(same[1] as string, digest({ additions: 5 }), true);
    second.close();
    const between = new DigestStore(openBlobCache(dir, { version: 't' }), 'three');
    between.keep(digestKey(file({ path: 'src/x.js' }), ruleKey({})), digest(), true);
    between.close();
    const third = new DigestStore(openBlobCache(dir, { version: 't' }), 'four');
    expect(third.get(same[1] as string)?.additions).toBe(5);
    expect(third.get(same[0] as string)).toBeUndefined();
  });
});

describe('source digests in a bounded cache', () => {
  it('stay within the size bound: the oldest go first, every one left reads back whole, the dropped ones are misses', () => {
    const dir = tempDir();
    const keys = Array.from({ length: 400 }, (_, i) => digestKey(file({ path: `src/f${i}.js`, blob: i.toString(16).padStart(40, '0') }), ruleKey({})));
    // Each digest as big as a real one with findings; the bound holds one run of 100 and a little more.
    const bulky = (i: number): SourceDigest => digest({ rules: { findings: [{ rule: 'r', severity: 'high', file: `src/f${i}.js`, line: 2, message: `m ${i} ${'x'.repeat(400)}`,
      excerpt: { start: 1, lines: Array.from({ length: 5 }, (_, l) => `${i}:${l}:${Math.sin(i * 7 + l)}`) } }], warnings: [] } });
    const sizes = (): number => readdirSync(dir).flatMap(s => readdirSync(join(dir, s)).map(f => statSync(join(dir, s, f)).size)).reduce((a, b) => a + b, 0);
    let maxBytes = 0;
    {
      const probe = openBlobCache(dir, { version: 't' });
      const one = new DigestStore(probe, 'probe', { shardLimit: 2 });
      for (let i = 0; i < 100; i++) one.keep(keys[i] as string, bulky(i), true);
      one.close();
      // Room for one run (its pairs in shards, its run entry and the latest, which hold them all again) and a little more;
      // shards of two pairs each hold about one run (100 pairs over 64 shards), so older pairs leave them too.
      maxBytes = Math.round(sizes() * 1.5);
      rmSync(dir, { recursive: true, force: true });
    }
    for (let run = 0; run < 4; run++) {
      const cache = openBlobCache(dir, { version: 't', maxBytes });
      const store = new DigestStore(cache, `run ${run}`, { shardLimit: 2 });
      for (let i = run * 100; i < (run + 1) * 100; i++) store.keep(keys[i] as string, bulky(i), true);
      store.close();
      // Entries written within one run share a second: put each run's entries further back in time than the next's.
      for (const shard of readdirSync(dir)) for (const f of readdirSync(join(dir, shard))) {
        const path = join(dir, shard, f);
        const age = statSync(path).mtimeMs;
        if (age > Date.now() - 1000) utimesSync(path, new Date((1_000_000 + run * 1000) * 1000), new Date((1_000_000 + run * 1000) * 1000));
      }
      cache.close();
      expect(sizes()).toBeLessThanOrEqual(maxBytes);
    }
    const reader = new DigestStore(openBlobCache(dir, { version: 't', maxBytes }), 'another run');
    const kept = keys.map((k, i) => [i, reader.get(k)] as const).filter(([, d]) => d !== undefined);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(400);
    for (const [i, d] of kept) expect(d).toEqual(bulky(i));
    // The last run's digests are the newest: all of them stayed.
    expect(keys.slice(300).every(k => reader.get(k) !== undefined)).toBe(true);
    expect(reader.get(keys[0] as string)).toBeUndefined();
  });
});
