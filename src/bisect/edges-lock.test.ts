import { describe, expect, it } from 'vitest';
import { detectFormat } from '../lockfiles/index.js';
import { lockEdges } from './edges-lock.js';

describe('lockEdges', () => {
  it('picks the reader and the range rules of each lock the path names', () => {
    const yarn1 = '# yarn lockfile v1\n\n';
    const source = (path: string): string | undefined => lockEdges(detectFormat(path, '')?.id, path.endsWith('yarn.lock') ? yarn1 : '').rules?.source;
    expect(['package-lock.json', 'web/yarn.lock', 'pnpm-lock.yaml', 'poetry.lock', 'uv.lock', 'pdm.lock'].map(source)).toEqual([
      'package-lock.json dependencies', 'yarn.lock dependencies', 'pnpm-lock.yaml dependencies',
      'poetry.lock [package.dependencies]', 'uv.lock dependencies', 'pdm.lock dependencies']);
    // PEP 440 for the Python locks: semver would read neither 3.10 against >=3.7 nor the name spelling.
    const py = lockEdges('poetry-lock', '').rules;
    expect(py?.satisfies('3.10', '>=3.7') && py.key('Foo_Bar') === 'foo-bar').toBe(true);
  });
  it('has no edges for pins that record none, nor for a yarn berry lock', () => {
    expect(lockEdges(detectFormat('yarn.lock', '')?.id, '__metadata:\n  version: 8\n').rules).toBeUndefined();
    expect(lockEdges(detectFormat('requirements.txt', '')?.id, 'a==1\n')).toEqual({ requires: new Map() });
    expect(lockEdges(detectFormat('Pipfile.lock', '')?.id, '{}').rules).toBeUndefined();
  });
});
