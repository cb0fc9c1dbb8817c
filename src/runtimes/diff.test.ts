import { describe, expect, it } from 'vitest';
import { analyzedRepo } from '../../test/helpers/analyzed-repo.js';

// A real repository whose release moves the base image, the Node version and a workflow's Python, each in its own commit.
const analyzed = analyzedRepo({ commits: [
  { message: 'service', tag: 'v1', files: {
    'Dockerfile': 'FROM python:3.11-slim-bookworm\nCOPY . /app\n',
    '.nvmrc': '20.11.1\n',
    '.github/workflows/ci.yml': 'jobs:\n  t:\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: "3.11"\n',
    'app.py': 'print(1)\n',
  } },
  { message: 'python 3.12 on alpine', files: { 'Dockerfile': 'FROM python:3.12-alpine@sha256:aaa\nCOPY . /app\n' } },
  { message: 'node 22', files: { '.nvmrc': 'v22.3.0\n' } },
  { message: 'unrelated', files: { 'app.py': 'print(2)\n' } },
  { message: 'same tag, new build', tag: 'v2', files: { 'Dockerfile': 'FROM python:3.12-alpine@sha256:bbb\nCOPY . /app\n' } },
] });

describe('runtime changes between two refs', () => {
  it('lists each runtime change with the commits that made it', () => {
    const runtime = analyzed.report.dependencies.filter(d => d.ecosystem === 'runtime')
      .map(d => `${d.lockfile} ${d.name} ${d.from} -> ${d.to} ${d.change} ${d.commits.map(c => analyzed.repo.shas.indexOf(c)).join(',')}`);
    expect(runtime).toEqual([
      '.nvmrc node 20.11.1 -> 22.3.0 major 2',
      'Dockerfile image:python 3.11-slim-bookworm -> 3.12-alpine minor 1,4',
    ]);
  });

  it('ranks them with reasons that name the interpreter and the C library', () => {
    const item = analyzed.report.ranking.find(r => r.dependency?.name === 'image:python');
    expect(item?.reasons.join('\n')).toMatch(/glibc to musl/);
    expect(item?.reasons.join('\n')).toMatch(/the image's python moves from 3\.11-slim-bookworm to 3\.12-alpine/);
    expect(item?.level).toBe('high');
    const node = analyzed.report.ranking.find(r => r.dependency?.name === 'node');
    expect(node?.reasons.join('\n')).toMatch(/garbage collector/);
    expect(node?.level).not.toBe('low');
  });

  it('keeps the files as source changes too', () => {
    expect(analyzed.report.ranking.filter(r => r.kind === 'source').map(r => r.file).sort()).toEqual(['.nvmrc', 'Dockerfile', 'app.py']);
  });
});
