import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { LOCKFILE_FIXTURES } from '../../test/helpers/fixtures.js';
import { mine, valueOrThrow, versionsOf } from '../../test/helpers/lockfile-tests.js';
import { diffDependencySets } from '../deps/diff.js';
import { parseCondaList } from './conda-list.js';
import { parseCondaLock } from './conda-lock.js';
import { detectFormat } from './index.js';
import { condaFileNameParts, parsePixiLock } from './pixi-lock.js';

const lockText = readFileSync(`${LOCKFILE_FIXTURES}conda/conda-lock.yml`, 'utf8');
const pixiText = readFileSync(`${LOCKFILE_FIXTURES}conda/pixi.lock`, 'utf8');
const exportText = readFileSync(`${LOCKFILE_FIXTURES}conda/conda-list-export.txt`, 'utf8');
const jsonText = JSON.stringify([
  { base_url: 'https://conda.anaconda.org/conda-forge', build_number: 0, build_string: 'py311h64a7726_0', channel: 'conda-forge', dist_name: 'numpy-1.26.4-py311h64a7726_0', name: 'numpy', platform: 'linux-64', version: '1.26.4' },
  { base_url: 'https://pypi.org/', build_number: 0, build_string: 'pypi_0', channel: 'pypi', dist_name: 'torch-2.3.1-pypi_0', name: 'torch', platform: 'pypi', version: '2.3.1' },
], null, 1);

describe('conda environments', () => {
  it('are detected: conda-lock.yml by name, conda list output by content', () => {
    expect(detectFormat('conda-lock.yml', '')?.id).toBe('conda-lock');
    expect(detectFormat('envs/gpu.conda-lock.yml', '')?.id).toBe('conda-lock');
    expect(detectFormat('env/packages.txt', exportText)?.id).toBe('conda-list');
    expect(detectFormat('env/packages.json', jsonText)?.id).toBe('conda-list');
    expect(detectFormat('requirements.txt', 'flask==3.0.0\n')?.id).toBe('requirements');
  });

  it('conda-lock.yml: one package per name and version across platforms, pip entries included, the same pairs as the yaml package reads', () => {
    const reference = (parse(lockText) as { package: { name: string; version: string }[] }).package.map(p => [p.name.toLowerCase(), String(p.version)] as [string, string]);
    const set = valueOrThrow(parseCondaLock(lockText, 'conda-lock.yml'));
    expect(mine(set)).toEqual(versionsOf(reference));
    expect(set.packages.filter(p => p.name === 'numpy')).toHaveLength(1);
    expect(set.packages.find(p => p.name === 'pytest')?.dev).toBe(true);
    expect(set.packages.find(p => p.name === 'torch')?.dev).toBe(false);
  });

  it('conda list --export and --json', () => {
    const exported = valueOrThrow(parseCondaList(exportText, 'env.txt'));
    expect(mine(exported)).toEqual({ '_libgcc_mutex': ['0.1'], 'ca-certificates': ['2024.6.2'], 'libgcc-ng': ['13.2.0'], numpy: ['1.26.4'], openssl: ['3.3.1'], python: ['3.11.9'], torch: ['2.3.1'] });
    expect(mine(valueOrThrow(parseCondaList(jsonText, 'env.json')))).toEqual({ numpy: ['1.26.4'], torch: ['2.3.1'] });
  });

  it('diffs two environments as version changes', () => {
    const before = valueOrThrow(parseCondaList(exportText, 'env.txt'));
    const after = valueOrThrow(parseCondaList(exportText.replace('numpy=1.26.4=py311h64a7726_0', 'numpy=2.0.0=py311h1461c94_0'), 'env.txt'));
    expect(diffDependencySets(before, after).map(c => [c.ecosystem, c.name, c.from, c.to, c.change])).toEqual([['conda', 'numpy', '1.26.4', '2.0.0', 'major']]);
  });

  it('refuses what it cannot read, naming the line or the entry', () => {
    const badLine = parseCondaList(`${exportText}numpy 1.26\n`, 'env.txt');
    expect(!badLine.ok && badLine.error.message).toMatch(/not name=version=build/);
    const v2 = parseCondaLock(lockText.replace('version: 1\n', 'version: 2\n'), 'conda-lock.yml');
    expect(!v2.ok && v2.error.message).toMatch(/version 2, which reldiff does not know/);
    const bomb = parseCondaLock(`version: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\npackage: []\n`, 'conda-lock.yml');
    expect(bomb.ok).toBe(false);
    const entry = parseCondaLock('version: 1\npackage:\n- name: x\n', 'conda-lock.yml');
    expect(!entry.ok && entry.error.message).toMatch(/number 1\) without a string name and version/);
  });

  it('pixi.lock: conda and PyPI packages, one per version across platforms, test-only ones as development, the project itself left out', () => {
    expect(detectFormat('pixi.lock', '')?.id).toBe('pixi-lock');
    expect(condaFileNameParts('https://x/linux-64/ld_impl_linux-64-2.45.1-default_hbd61a6d_102.conda')).toEqual({ name: 'ld_impl_linux-64', version: '2.45.1' });
    const set = valueOrThrow(parsePixiLock(pixiText, 'pixi.lock'));
    expect(mine(set)).toEqual({ fastapi: ['0.115.6'], numpy: ['2.1.3'], pytest: ['8.3.4'], python: ['3.12.7'] });
    expect(set.packages.find(p => p.name === 'pytest')?.dev).toBe(true);
    expect(set.packages.find(p => p.name === 'numpy')?.dev).toBe(false);
    const v9 = parsePixiLock(pixiText.replace('version: 6', 'version: 9'), 'pixi.lock');
    expect(!v9.ok && v9.error.message).toMatch(/version 9, which reldiff does not know/);
  });
});
