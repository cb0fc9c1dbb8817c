import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { LOCKFILE_FIXTURES } from '../../test/helpers/fixtures.js';
import { mine, valueOrThrow, versionsOf } from '../../test/helpers/lockfile-tests.js';
import { detectFormat } from './index.js';
import { parsePylock } from './pylock.js';

const text = readFileSync(`${LOCKFILE_FIXTURES}pylock/service.pylock.toml`, 'utf8');

describe('pylock.toml (PEP 751)', () => {
  it('is detected by name and by content', () => {
    expect(detectFormat('pylock.toml', '')?.id).toBe('pylock');
    expect(detectFormat('deploy/pylock.prod.toml', '')?.id).toBe('pylock');
    expect(detectFormat('locks/py.lock', text)?.id).toBe('pylock');
  });

  it('gives every [[packages]] entry smol-toml reads, names normalised, with versions for VCS and folder entries', () => {
    const reference = (parse(text) as { packages: { name: string; version?: string }[] }).packages;
    const set = valueOrThrow(parsePylock(text, 'pylock.toml'));
    expect(Object.keys(mine(set))).toEqual(Object.keys(versionsOf(reference.map(p => [p.name.toLowerCase().replace(/[-_.]+/g, '-'), p.version ?? '']))));
    expect(mine(set)['flask']).toEqual(['3.1.0']);
    expect(mine(set)['internal-auth']).toEqual(['git:https://git.example.com/acme/internal-auth.git@4f2e9c1d7a6b5e4f3c2d1e0f9a8b7c6d5e4f3a2b']);
    expect(mine(set)['shared-models']).toEqual(['directory:libs/shared-models']);
  });

  it('tells development-only packages by their markers, and native ones by their wheels', () => {
    const set = valueOrThrow(parsePylock(text, 'pylock.toml'));
    const by = (name: string) => set.packages.find(p => p.name === name);
    expect(by('pytest')?.dev).toBe(true);
    expect(by('typing-extensions')?.dev).toBe(false);
    expect(by('anyio')?.dev).toBe(false);
    expect(by('orjson')?.facts.native).toBe(true);
    expect(by('flask')?.facts.native).toBeUndefined();
  });

  it('refuses an unknown lock-version and a broken packages key, with the fix', () => {
    const v2 = parsePylock(text.replace('lock-version = "1.0"', 'lock-version = "2.0"'), 'pylock.toml');
    expect(!v2.ok && v2.error.message).toMatch(/lock-version "2\.0", which reldiff does not know/);
    const broken = parsePylock('lock-version = "1.0"\npackages = [1, 2]\n', 'pylock.toml');
    expect(!broken.ok && broken.error.message).toMatch(/"packages" key that is not a list/);
    const nameless = parsePylock('lock-version = "1.0"\n[[packages]]\nversion = "1"\n', 'pylock.toml');
    expect(nameless.ok).toBe(false);
  });
});
