import { readFileSync } from 'node:fs';
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { LOCKFILE_FIXTURES } from '../../test/helpers/fixtures.js';
import { mine, valueOrThrow, versionsOf } from '../../test/helpers/lockfile-tests.js';
import { diffDependencySets } from '../deps/diff.js';
import { parseBunLock } from './bun-lock.js';
import { detectFormat } from './index.js';

const text = readFileSync(`${LOCKFILE_FIXTURES}bun-lock/monorepo.bun.lock`, 'utf8');

describe('bun.lock', () => {
  it('is detected by name and by content', () => {
    expect(detectFormat('bun.lock', '')?.id).toBe('bun-lock');
    expect(detectFormat('old/lock.json', text)?.id).toBe('bun-lock');
    expect(detectFormat('bun.lockb', '')).toBeUndefined();
  });

  it('gives the same name/version pairs as jsonc-parser reads from every non-workspace entry', () => {
    const reference = Object.values(parse(text, [], { allowTrailingComma: true }).packages as Record<string, [string]>)
      .map(([spec]) => [spec.slice(0, spec.indexOf('@', 1)), spec.slice(spec.indexOf('@', 1) + 1)] as [string, string])
      .filter(([, version]) => !version.startsWith('workspace:'));
    const set = valueOrThrow(parseBunLock(text, 'bun.lock'));
    expect(mine(set)).toEqual(versionsOf(reference));
    expect(mine(set)['ms']).toEqual(['2.0.0', '2.1.3', '3.0.0-canary.1']);
  });

  it('tells direct, development-only, nested and native packages apart', () => {
    const set = valueOrThrow(parseBunLock(text, 'bun.lock'));
    const at = (path: string) => set.packages.find(p => p.installPath === path);
    expect(at('node_modules/express')).toMatchObject({ direct: true, dev: false });
    expect(at('node_modules/express/node_modules/ms')).toMatchObject({ version: '2.0.0', direct: false, dev: false });
    expect(at('node_modules/send/node_modules/ms')?.version).toBe('2.1.3');
    expect(at('node_modules/ms')).toMatchObject({ version: '3.0.0-canary.1', direct: true, dev: false });
    expect(at('node_modules/typescript')).toMatchObject({ direct: true, dev: true });
    expect(at('node_modules/undici-types')).toMatchObject({ direct: false, dev: true });
    expect(at('node_modules/@esbuild/linux-x64')).toMatchObject({ dev: true, facts: { native: true } });
  });

  it('diffs two revisions as version changes', () => {
    const before = valueOrThrow(parseBunLock(text, 'bun.lock'));
    const after = valueOrThrow(parseBunLock(text.replace('"ws@8.18.0"', '"ws@8.18.1"'), 'bun.lock'));
    expect(diffDependencySets(before, after).map(c => [c.name, c.from, c.to, c.change])).toEqual([['ws', '8.18.0', '8.18.1', 'patch']]);
  });

  it('refuses broken input with the line or key, and unknown versions', () => {
    const broken = parseBunLock('{\n  "lockfileVersion": 1,\n  "packages": {\n    "a": ["a@1", ,]\n  }\n}', 'bun.lock');
    expect(!broken.ok && broken.error.message).toMatch(/is not valid JSON/);
    const v9 = parseBunLock('{ "lockfileVersion": 9, "workspaces": {} }', 'bun.lock');
    expect(!v9.ok && v9.error.message).toMatch(/lockfileVersion 9, which reldiff does not know/);
    const shape = parseBunLock('{ "lockfileVersion": 1, "packages": { "a": [1] } }', 'bun.lock');
    expect(!shape.ok && shape.error.message).toMatch(/entry "a" that is not \["name@version"/);
  });
});
