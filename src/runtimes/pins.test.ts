import { describe, expect, it } from 'vitest';
import { isRuntimeFile, readRuntimePins } from './pins.js';

const pins = (path: string, text: string): string[] =>
  readRuntimePins(path, text).packages.map(p => `${p.name}@${p.version}${p.facts.integrity ? `@${p.facts.integrity}` : ''}${p.dev ? ' dev' : ''} ${p.installPath ?? ''}`.trim());

describe('runtime pins in repository files', () => {
  it('reads every FROM of a multi-stage Dockerfile, with ARG defaults, digests and the last stage as the one that runs', () => {
    const text = [
      'ARG PY=3.12',
      '# FROM ignored:1',
      'FROM --platform=linux/amd64 docker.io/library/python:${PY}-slim AS builder',
      'RUN pip wheel . \\',
      '  -w /wheels',
      'FROM builder AS tests',
      'FROM gcr.io/distroless/python3-debian12@sha256:abc123',
      'COPY --from=builder /wheels /wheels',
    ].join('\n');
    expect(pins('deploy/Dockerfile', text)).toEqual([
      'image:gcr.io/distroless/python3-debian12@digest@sha256:abc123 stage 3',
      'image:python@3.12-slim dev stage 1 (builder)',
    ]);
  });

  it('keeps a registry port apart from a tag and skips scratch', () => {
    expect(pins('Containerfile', 'FROM localhost:5000/app\nFROM scratch\n')).toEqual(['image:localhost:5000/app@latest dev stage 1']);
    expect(pins('Dockerfile', 'ARG BASE\nFROM ${BASE} AS b\nFROM node:20\n')).toEqual(['image:node@20 stage 2']);
  });

  it('reads version-manager files', () => {
    expect(pins('.nvmrc', 'v20.11.1\n')).toEqual(['node@20.11.1']);
    expect(pins('web/.node-version', '# pinned\nlts/iron\n')).toEqual(['node@lts/iron']);
    expect(pins('.python-version', '3.12.1\n3.11.7\n')).toEqual(['python@3.11.7 line 2', 'python@3.12.1 line 1']);
    expect(pins('.tool-versions', 'nodejs 20.11.1\npython 3.12.1 3.11.7\n# ruby 3\n')).toEqual(['node@20.11.1', 'python@3.12.1']);
  });

  it('reads engines, devEngines.runtime and requires-python', () => {
    expect(pins('package.json', JSON.stringify({ engines: { node: '>=20', npm: '>=10' }, devEngines: { runtime: { name: 'node', version: '22.x' } } })))
      .toEqual(['node@22.x dev devEngines.runtime', 'node@>=20 engines']);
    expect(pins('pyproject.toml', '[project]\nname = "svc"\nrequires-python = ">=3.11"\n')).toEqual(['python@>=3.11 requires-python']);
    expect(pins('pyproject.toml', '[tool.poetry.dependencies]\npython = "^3.10"\n')).toEqual(['python@^3.10 tool.poetry.dependencies']);
    expect(pins('package.json', '{ not json')).toEqual([]);
    expect(isRuntimeFile('node_modules/x/package.json')).toBe(false);
    const lock = "lockfileVersion: '9.0'\nimporters:\n  .:\n    devDependencies:\n      node:\n        specifier: runtime:^22.0.0\n        version: runtime:22.18.0\npackages:\n  node@runtime:22.18.0:\n    resolution: {type: variations}\n  left-pad@1.3.0:\n    resolution: {integrity: sha512-x}\n";
    expect(pins('pnpm-lock.yaml', lock)).toEqual(['node@22.18.0 pnpm-lock.yaml runtime']);
  });

  it('reads setup-node and setup-python versions as written, through the job matrix', () => {
    const text = [
      'jobs:',
      '  test:',
      '    strategy:',
      '      matrix:',
      '        python: [3.10, "3.12"]',
      '    steps:',
      '      - uses: actions/setup-python@v5',
      '        with:',
      '          python-version: ${{ matrix.python }}',
      '      - uses: actions/setup-node@v4',
      '        with: { node-version: 20 }',
      '      - uses: actions/checkout@v4',
    ].join('\n');
    expect(pins('.github/workflows/ci.yml', text)).toEqual(['node@20 dev job test', 'python@3.10 dev job test', 'python@3.12 dev job test']);
    expect(pins('.github/workflows/bad.yml', 'jobs: [\n')).toEqual([]);
    expect(isRuntimeFile('docs/workflows/ci.yml')).toBe(false);
  });
});
