import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { buildRepo, type BuiltRepo } from '../helpers/build-repo.js';
import { runCli } from '../helpers/cli.js';
import { reportSchemaErrors } from '../helpers/schema.js';

// `reldiff A B` as a user runs it, on a service whose release changes runtimes in four kinds of files.

let repo: BuiltRepo;

beforeAll(() => {
  repo = buildRepo({ commits: [
    { message: 'service', tag: 'v1.4.0', files: {
      'Dockerfile': 'ARG PY=3.11\nFROM python:${PY}-slim AS build\nRUN pip wheel .\nFROM python:${PY}-slim\nENV MALLOC_ARENA_MAX=2\n',
      '.tool-versions': 'python 3.11.7\nnodejs 20.11.1\n',
      'pyproject.toml': '[project]\nname = "svc"\nversion = "1"\nrequires-python = ">=3.11"\n',
      '.github/workflows/ci.yml': 'jobs:\n  test:\n    strategy:\n      matrix:\n        py: ["3.11"]\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.py }}\n',
      'svc/app.py': 'def handle(r):\n    return r\n',
    } },
    { message: 'Python 3.12 everywhere', files: {
      'Dockerfile': 'ARG PY=3.12\nFROM python:${PY}-slim AS build\nRUN pip wheel .\nFROM python:${PY}-alpine\nENV MALLOC_ARENA_MAX=2\n',
      '.tool-versions': 'python 3.12.1\nnodejs 20.11.1\n',
      '.github/workflows/ci.yml': 'jobs:\n  test:\n    strategy:\n      matrix:\n        py: ["3.12"]\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.py }}\n',
    } },
    { message: 'require 3.12', tag: 'v1.5.0', files: { 'pyproject.toml': '[project]\nname = "svc"\nversion = "1"\nrequires-python = ">=3.12"\n' } },
  ] });
});
afterAll(() => repo.cleanup());

describe('reldiff A B with runtime changes', () => {
  it('ranks each runtime change with its file, reason and commit, valid against the schema', () => {
    const r = runCli(['v1.4.0', 'v1.5.0', '--format', 'json'], { cwd: repo.dir });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(reportSchemaErrors(report)).toEqual([]);
    const runtime = report.dependencies.filter(d => d.ecosystem === 'runtime');
    expect(runtime.map(d => `${d.lockfile} ${d.name} ${d.fromVersions.join(',')} -> ${d.toVersions.join(',')}${d.dev ? ' dev' : ''} @${d.commits.map(c => repo.shas.indexOf(c)).join(',')}`)).toEqual([
      '.github/workflows/ci.yml python 3.11 -> 3.12 dev @1',
      '.tool-versions python 3.11.7 -> 3.12.1 @1',
      'Dockerfile image:python 3.11-slim -> 3.12-alpine,3.12-slim @1',
      'pyproject.toml python >=3.11 -> >=3.12 @2',
    ]);
    const image = report.ranking.find(i => i.dependency?.name === 'image:python');
    expect(image?.reasons.join('\n')).toMatch(/a runtime of the service/);
    expect(image?.reasons.join('\n')).toMatch(/C library changes from glibc to musl/);
    // A range says what is allowed, not what runs; a pinned interpreter that moves a minor is a strong suspect.
    const reasonsOf = (file: string): string => report.ranking.find(i => i.dependency?.lockfile === file)?.reasons.join('\n') ?? '';
    expect(reasonsOf('pyproject.toml')).not.toMatch(/garbage collector/);
    expect(reasonsOf('.tool-versions')).toMatch(/garbage collector/);
    expect(report.ranking.find(i => i.dependency?.lockfile === '.tool-versions')?.level).toBe('high');
    // The interpreter of the image outranks the CI job's.
    const rankOf = (file: string): number => report.ranking.find(i => i.dependency?.lockfile === file)?.rank ?? 0;
    expect(rankOf('.tool-versions')).toBeLessThan(rankOf('.github/workflows/ci.yml'));
  });

  it('shows them in Markdown like any dependency', () => {
    const r = runCli(['v1.4.0', 'v1.5.0', '--format', 'markdown', '--all'], { cwd: repo.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/`image:python`/);
    expect(r.stdout).toMatch(/`\.tool-versions`/);
  });
});

describe('reldiff deps on two runtime files', () => {
  it('compares two Dockerfiles by their base images', () => {
    mkdirSync(join(repo.dir, 'old'), { recursive: true });
    writeFileSync(join(repo.dir, 'old/Dockerfile'), 'FROM node:20-bookworm\n');
    writeFileSync(join(repo.dir, 'Dockerfile.web'), 'FROM node:22-alpine\n');
    const r = runCli(['deps', 'old/Dockerfile', 'Dockerfile.web', '--format', 'json'], { cwd: repo.dir });
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report;
    expect(report.dependencies.map(d => `${d.ecosystem} ${d.name} ${d.from} -> ${d.to}`)).toEqual(['runtime image:node 20-bookworm -> 22-alpine']);
    expect(report.ranking[0]?.reasons.join('\n')).toMatch(/glibc to musl/);
  });
});
