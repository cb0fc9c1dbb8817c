import { describe, expect, it } from 'vitest';
import type { DependencyChange, RepoReader } from '../types.js';
import { readProjectContexts } from './project-facts.js';

/** A RepoReader over one tree of files: only the calls readProjectContexts makes. */
function treeReader(files: Record<string, string>): RepoReader {
  const read = async (_at: string, path: string): Promise<string | undefined> => files[path];
  return {
    listFiles: async () => Object.keys(files).sort(),
    readFile: read,
    readFiles: async (_at: string, paths: readonly string[]) => new Map(paths.map(p => [p, files[p]])),
  } as unknown as RepoReader;
}

const change = (lockfile: string, ecosystem: 'npm' | 'pypi'): DependencyChange => ({
  ecosystem, lockfile, name: 'x', from: '1.0.0', to: '1.1.0', fromVersions: ['1.0.0'], toVersions: ['1.1.0'],
  change: 'minor', direct: true, dev: false, signals: [], commits: [],
});

describe('readProjectContexts', () => {
  it('reads package.json and its pnpm workspaces beside each lockfile, and pyproject.toml for Python pins', async () => {
    const reader = treeReader({
      'package.json': JSON.stringify({ private: true, devDependencies: { rollup: '4' } }),
      'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n  - '!**/test/**'\n",
      'pnpm-lock.yaml': '',
      'packages/core/package.json': JSON.stringify({ name: '@l/core', exports: './index.js' }),
      'packages/ui/package.json': JSON.stringify({ name: '@l/ui', main: 'index.js' }),
      'web/package.json': JSON.stringify({ private: true, devDependencies: { vite: '5' } }),
      'web/package-lock.json': '',
      'py/pyproject.toml': '[build-system]\nrequires = []\n[project]\nname = "lib"\n',
      'py/requirements/ci.txt': '',
    });
    const contexts = await readProjectContexts(reader, 'sha', [change('pnpm-lock.yaml', 'npm'), change('web/package-lock.json', 'npm'), change('py/requirements/ci.txt', 'pypi')]);
    expect(contexts.get('pnpm-lock.yaml')).toEqual({ kind: 'library', why: '2 of 2 workspace packages are published libraries' });
    expect(contexts.get('web/package-lock.json')?.kind).toBe('frontend-app');
    expect(contexts.get('py/requirements/ci.txt')).toEqual({ kind: 'library', why: 'pyproject.toml builds a distributable package' });
  });

  it('a Dockerfile at the root makes a Python package a deployed service', async () => {
    const reader = treeReader({ 'pyproject.toml': '[build-system]\nrequires = []\n[project]\nname = "svc"\n', Dockerfile: 'FROM python', 'uv.lock': '' });
    expect((await readProjectContexts(reader, 'sha', [change('uv.lock', 'pypi')])).get('uv.lock')).toEqual({ kind: 'service', why: 'deployed (Dockerfile)' });
    const library = treeReader({ 'pyproject.toml': '[build-system]\nrequires = []\n[project]\nname = "lib"\n', 'uv.lock': '' });
    expect((await readProjectContexts(library, 'sha', [change('uv.lock', 'pypi')])).get('uv.lock')?.kind).toBe('library');
  });
});
