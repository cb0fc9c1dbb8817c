import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTarball, registryPool } from '../../test/helpers/registry-server.js';
import type { RegistryServer } from '../../test/helpers/registry-server.js';
import type { DependencyChange, SourceInput } from '../types.js';
import { DiskCache } from './cache.js';
import { RegistryClient } from './client.js';
import type { AnalyzeSources } from './deep-scan.js';
import type { RegistryPackage, RegistryVersion } from './facts.js';
import { isLookEntry, LOOK_NAMESPACE, lookKey } from './look-cache.js';
import { lookInside } from './look-inside.js';
import type { LookOptions } from './look-inside.js';

// The look cache through lookInside itself: a loopback registry serves the archives once, and a later run on the same
// cache must say exactly what the first said without reading an archive again, or read them again when it cannot.

const { serve, closeAll } = registryPool();
let dir = '';
let server: RegistryServer;
const seen: SourceInput[] = [];
/** A stand-in rule engine: one finding per added line that grows a module-level map. */
const analyze: AnalyzeSources = async inputs => {
  for (const i of inputs) seen.push(i);
  return {
    findings: inputs.flatMap(i => (i.text ?? '').split('\n').flatMap((line, n) => (/^cache\.set/.test(line) && i.change.added.some(r => r.start <= n + 1 && n + 1 <= r.end)
      ? [{ rule: 'module-cache', severity: 'medium' as const, file: i.path, line: n + 1, message: 'module-level cache', commits: [] }] : []))),
    warnings: ['a rule warning'],
  };
};

const sri = (data: Buffer): string => `sha512-${createHash('sha512').update(data).digest('base64')}`;
const change = (name: string, from: string, to: string): DependencyChange => ({
  ecosystem: 'npm', lockfile: 'package-lock.json', name, from, to, fromVersions: [from], toVersions: [to],
  change: 'minor', direct: true, dev: false, signals: [], commits: [],
});
const version = (tarball: string, integrity: string | undefined): RegistryVersion => ({
  dependencies: [], installScripts: {}, native: [], maintainers: [], tarball, ...(integrity ? { integrity } : {}),
});

/** `pool` 1.0.0 -> 1.1.0 (a leak-shaped line added), and 1.2.0 whose changelog says a leak was fixed. */
async function publishPool(withIntegrity = true): Promise<Map<string, RegistryPackage>> {
  const trees: Record<string, Record<string, string>> = {
    '1.0.0': { 'package/index.js': 'const cache = new Map();\n', 'package/CHANGELOG.md': '## 1.0.0\n- first\n' },
    '1.1.0': { 'package/index.js': 'const cache = new Map();\ncache.set(1, 2);\n', 'package/CHANGELOG.md': '## 1.1.0\n- Fix a memory leak in the pool\n\n## 1.0.0\n- first\n' },
    '1.2.0': { 'package/index.js': 'const cache = new Map();\n', 'package/CHANGELOG.md': '## 1.2.0\n- Fix memory leak when a lookup throws\n\n## 1.1.0\n- faster\n' },
  };
  const versions: Record<string, RegistryVersion> = {};
  for (const [v, files] of Object.entries(trees)) {
    const body = await buildTarball(files);
    server.route(`/pool/-/pool-${v}.tgz`, { body });
    versions[v] = version(`${server.url}pool/-/pool-${v}.tgz`, withIntegrity ? sri(body) : undefined);
  }
  return new Map([['npm\0pool', { format: 2, name: 'pool', keywords: [], versions }]]);
}

async function run(packages: Map<string, RegistryPackage>, options: Partial<LookOptions> = {}, offline = false) {
  const client = new RegistryClient({ cache: new DiskCache(join(dir, 'cache')), offline, requireRegistry: false,
    http: { fetchOptions: {}, secrets: [], timeoutMs: 2_000, retries: 0, retryBaseMs: 5, maxRetryAfterMs: 1_000 } });
  const changes = [change('pool', '1.0.0', '1.1.0')];
  const result = await lookInside(changes, packages, { client, config: { registry: server.url }, pypiIndexOf: () => undefined,
    github: { base: server.url.replace(/\/$/, ''), secrets: [] } }, { analyze, analyzeName: 'stand-in', ...options });
  return { signals: result.signals.get(changes[0] as DependencyChange), warnings: [...result.warnings].sort(), stats: result.stats };
}

const archiveRequests = (): number => server.requests.filter(r => r.path.endsWith('.tgz')).length;
const entries = async (): Promise<string[]> => readdir(join(dir, 'cache', LOOK_NAMESPACE)).catch(() => []);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reldiff-look-cache-'));
  server = await serve();
  seen.length = 0;
});
afterEach(async () => {
  await closeAll();
  await rm(dir, { recursive: true, force: true });
});

describe('the look cache', () => {
  it('answers a second run with the same signals, warnings and bytes without reading an archive', async () => {
    const packages = await publishPool();
    const first = await run(packages);
    expect(first.signals?.map(s => s.id)).toEqual(['deep-scan', 'changelog-memory', 'later-leak-fix']);
    expect(first.warnings).toContain('a rule warning');
    expect(archiveRequests()).toBe(3);
    expect(seen.length).toBe(1);
    expect(await entries()).toHaveLength(1);
    // Not even the cached tarballs are there to read: only the look entry can answer.
    await rm(join(dir, 'cache', 'tarballs'), { recursive: true, force: true });
    seen.length = 0;
    const second = await run(packages, {}, true);
    expect(second).toEqual(first);
    expect(seen.length).toBe(0);
    expect(archiveRequests()).toBe(3);
  });

  it('ignores a corrupt entry and reads the archives again, to the same answer', async () => {
    const packages = await publishPool();
    const first = await run(packages);
    for (const name of await entries()) await writeFile(join(dir, 'cache', LOOK_NAMESPACE, name), '{"key": 1, "treeWarnings"');
    seen.length = 0;
    const second = await run(packages);
    expect(second).toEqual(first);
    expect(seen.length).toBe(1);
  });

  it('keeps nothing for archives without an integrity, for an analyze it cannot name, or for an archive it could not have', async () => {
    await run(await publishPool(false));
    expect(await entries()).toEqual([]);
    const packages = await publishPool();
    await run(packages, { analyzeName: undefined });
    expect(await entries()).toEqual([]);
    // Offline on an empty cache: nothing read is not a content's answer; the online run after it still scans.
    await rm(join(dir, 'cache'), { recursive: true, force: true });
    const offline = await run(packages, {}, true);
    expect(offline.signals?.some(s => s.id === 'deep-scan')).toBe(false);
    expect(await entries()).toEqual([]);
    const online = await run(packages);
    expect(online.signals?.some(s => s.id === 'deep-scan')).toBe(true);
  });

  it('keys by every archive integrity, the tar limits, the rule settings and the engine', () => {
    const parts = { ecosystem: 'npm', name: 'pool', from: '1.0.0', to: '1.1.0', archives: [{ version: '1.0.0', integrity: 'sha512-A', filename: '' }],
      tarLimits: {}, ruleSettings: undefined, analyzer: 'rules' };
    const key = lookKey(parts);
    expect(lookKey({ ...parts })).toBe(key);
    expect(lookKey({ ...parts, archives: [{ version: '1.0.0', integrity: 'sha512-B', filename: '' }] })).not.toBe(key);
    expect(lookKey({ ...parts, tarLimits: { maxFileBytes: 1 } })).not.toBe(key);
    expect(lookKey({ ...parts, ruleSettings: { rules: { 'module-cache': 'off' } } })).not.toBe(key);
    expect(lookKey({ ...parts, analyzer: 'other' })).not.toBe(key);
    expect(isLookEntry({ key, treeWarnings: [], bytesRead: 1, scan: { signals: [{ id: 'x' }], warnings: [] } })).toBe(false);
    expect(isLookEntry({ key, treeWarnings: [], bytesRead: 1, latestLog: { file: 'CHANGELOG.md', text: '' } })).toBe(true);
  });
});
