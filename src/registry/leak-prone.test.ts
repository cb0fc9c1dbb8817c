import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DependencyChange } from '../types.js';
import { npmVersions } from '../versions/semver.js';
import type { RegistryPackage, RegistryVersion } from './facts.js';
import { EVIDENCE, LEAK_PRONE_FILE, applicableLeakProne, indexLeakProne, matchLeakProne, normalizeName, parseLeakProne } from './leak-prone.js';
import { registrySignals } from './signals.js';

const raw = JSON.parse(readFileSync(LEAK_PRONE_FILE, 'utf8')) as { $comment: string; categories: { id: string; keywords: string[]; packages: { name: string; evidence: string }[] }[] };
const categories = parseLeakProne(raw);
const index = indexLeakProne(categories);

const version = (extra: Partial<RegistryVersion> = {}): RegistryVersion => ({ dependencies: [], installScripts: {}, native: [], maintainers: [], ...extra });
const change = (name: string, extra: Partial<DependencyChange> = {}): DependencyChange => ({
  ecosystem: 'npm', lockfile: 'package-lock.json', name, from: '1.0.0', to: '2.0.0', fromVersions: ['1.0.0'], toVersions: ['2.0.0'],
  change: 'major', direct: false, dev: false, signals: [], commits: [], ...extra,
});
const pkg = (name: string, keywords: string[], after: RegistryVersion): RegistryPackage => ({ format: 2, name, keywords, versions: { '1.0.0': version(), '2.0.0': after } });
const signalsFor = (c: DependencyChange, p: RegistryPackage | undefined) =>
  registrySignals({ change: c, pkg: p, leakProne: matchLeakProne(c.name, p?.keywords ?? [], index), compare: npmVersions.compare }).filter(s => s.id === 'leak-prone-category');

describe('data/leak-prone-packages.json', () => {
  it('parses whole: every entry has a URL or a "by design: ..." mechanism as its evidence', () => {
    const rawCount = raw.categories.reduce((n, c) => n + c.packages.length, 0);
    expect(categories.reduce((n, c) => n + c.packages.length, 0)).toBe(rawCount);
    expect(rawCount).toBeGreaterThanOrEqual(150);
    for (const c of raw.categories) for (const p of c.packages) expect(p.evidence, `${c.id}/${p.name}`).toMatch(EVIDENCE);
  });

  it('keeps categories sorted by id, packages sorted by name, and names unique within a category', () => {
    const ids = raw.categories.map(c => c.id);
    expect(ids).toEqual([...ids].sort());
    for (const c of raw.categories) {
      const names = c.packages.map(p => p.name);
      expect(names, c.id).toEqual([...names].sort());
      expect(new Set(names.map(normalizeName)).size, c.id).toBe(names.length);
    }
  });

  it('has the categories a batch of bumps is ranked by', () => {
    expect(categories.map(c => c.id)).toEqual(expect.arrayContaining([
      'apm-instrumentation', 'c-extension', 'connection-pool', 'http-client', 'http-server', 'i18n-runtime', 'message-queue', 'reactivity-framework', 'websocket',
    ]));
  });

  it('keeps no keyword that names a topic rather than a mechanism', () => {
    const broad = ['cache', 'database', 'image', 'logging', 'logger', 'pool', 'redis', 'resize', 'template', 'tracing', 'vue', 'react', 'i18n', 'http', 'server'];
    for (const c of raw.categories) expect(c.keywords.filter(k => broad.includes(k)), c.id).toEqual([]);
  });
});

describe('matchLeakProne', () => {
  it('names a known package offline, from its name alone, PyPI spelling or not', () => {
    expect(signalsFor(change('gunicorn', { ecosystem: 'pypi', lockfile: 'poetry.lock' }), undefined)[0]?.detail)
      .toMatch(/^servers and web frameworks \(known package\): .*; evidence: https:\/\/github\.com\/benoitc\/gunicorn\/issues\/2065$/);
    expect(matchLeakProne('PyYAML', [], index).map(m => m.category)).toEqual(['c-extension']);
    expect(matchLeakProne('aio_pika', [], index).map(m => m.category)).toEqual(['message-queue']);
    expect(matchLeakProne('socket.io', [], index).map(m => m.category)).toEqual(['websocket']);
    expect(signalsFor(change('pg'), undefined)).toHaveLength(1);
  });

  it('does not call a Vue drawer component tagged "resize" an image binding', () => {
    const drawer = pkg('vue-drawer-layout', ['vue', 'drawer', 'resize', 'image', 'component'], version());
    expect(matchLeakProne(drawer.name, drawer.keywords, index)).toEqual([]);
    expect(signalsFor(change(drawer.name), drawer)).toEqual([]);
  });

  it('counts a native-memory keyword only when the version ships native code', () => {
    const plain = pkg('pixel-thing', ['libvips'], version());
    expect(matchLeakProne(plain.name, plain.keywords, index)).toEqual([expect.objectContaining({ category: 'image-binding', needsNative: true })]);
    expect(signalsFor(change(plain.name), plain)).toEqual([]);
    const native = pkg('pixel-thing', ['libvips'], version({ native: ['gypfile (binding.gyp)'] }));
    expect(signalsFor(change(native.name), native)[0]?.detail).toMatch(/^image bindings \(keyword "libvips"\)/);
    expect(signalsFor(change(plain.name, { signals: [{ id: 'native-code', detail: 'from the lockfile' }] }), plain)).toHaveLength(1);
  });

  it('keeps a mechanism keyword that needs no native code', () => {
    expect(matchLeakProne('some-orm', ['ORM'], index).map(m => [m.category, m.via])).toEqual([['orm', 'keyword "orm"']]);
  });

  it('does not take a same-named package of the other registry for the listed one', () => {
    expect(signalsFor(change('babel', { ecosystem: 'npm' }), undefined)).toEqual([]);
    expect(signalsFor(change('babel', { ecosystem: 'pypi', lockfile: 'uv.lock' }), undefined)).toHaveLength(1);
    expect(applicableLeakProne(matchLeakProne('redis', [], index), 'pypi', false)).toHaveLength(1);
    expect(applicableLeakProne(matchLeakProne('redis', [], index), 'npm', false)).toHaveLength(1);
  });

  it('drops an entry without evidence, or with evidence that is neither a URL nor a mechanism', () => {
    const parsed = parseLeakProne({ categories: [{ id: 'x', keywords: ['A'], keywordsNeedNative: true, packages: [
      { name: 'a', evidence: 'https://example.test/1' }, { name: 'b', evidence: 'by design: keeps it' }, { name: 'c', evidence: 'trust me' }, { name: 'd' },
      { name: 'e', evidence: 'by design: x', ecosystem: 'maven' },
    ] }] });
    expect(parsed).toEqual([{ id: 'x', label: 'x', why: '', keywords: ['a'], keywordsNeedNative: true, packages: [
      { name: 'a', evidence: 'https://example.test/1' }, { name: 'b', evidence: 'by design: keeps it' }, { name: 'e', evidence: 'by design: x' },
    ] }]);
  });
});
