import { describe, expect, it } from 'vitest';
import { analyzedRepo } from '../../test/helpers/analyzed-repo.js';
import { dockerfilePins, envAssignments } from './dockerfile.js';

const envPins = (text: string): string[] => dockerfilePins(text).filter(p => p.name.startsWith('env:')).map(p => `${p.name}=${p.version} ${p.installPath}`);

describe('memory settings in Dockerfile ENV lines', () => {
  it('reads both ENV forms, quotes, escapes and ARG defaults', () => {
    expect(envAssignments('A=1 B="two words" C=\'x y\' D=a\\ b E=')).toEqual([['A', '1'], ['B', 'two words'], ['C', 'x y'], ['D', 'a b'], ['E', '']]);
    expect(envAssignments('NODE_OPTIONS --max-old-space-size=4096 --enable-source-maps')).toEqual([['NODE_OPTIONS', '--max-old-space-size=4096 --enable-source-maps']]);
    const text = 'ARG HEAP=2048\nFROM node:20\nENV PYTHONUNBUFFERED=1 MALLOC_ARENA_MAX=2 \\\n    NODE_OPTIONS="--max-old-space-size=${HEAP} --enable-source-maps"\nENV PYTHONMALLOC malloc\n';
    expect(envPins(text)).toEqual([
      'env:MALLOC_ARENA_MAX=2 stage 1 ENV', 'env:NODE_OPTIONS=--max-old-space-size=2048 --enable-source-maps stage 1 ENV', 'env:PYTHONMALLOC=malloc stage 1 ENV',
    ]);
  });

  it('keeps the running stage\'s settings: its own and those of the stage it is built from, not a builder\'s', () => {
    const text = [
      'FROM python:3.12 AS base', 'ENV MALLOC_ARENA_MAX=2',
      'FROM base AS build', 'ENV MALLOC_ARENA_MAX=8 NODE_OPTIONS=--max-old-space-size=8192',
      'FROM base AS run', 'ENV PYTHONMALLOC=pymalloc_debug', '',
    ].join('\n');
    expect(envPins(text)).toEqual(['env:MALLOC_ARENA_MAX=2 stage 3 (run) ENV', 'env:PYTHONMALLOC=pymalloc_debug stage 3 (run) ENV']);
    expect(envPins('FROM python:3.12\nENV PORT=8080 PYTHONUNBUFFERED=1\n')).toEqual([]);
    // ENV before any FROM is not valid Dockerfile: no stage holds it.
    expect(envPins('ENV MALLOC_ARENA_MAX=2\nFROM python:3.12\n')).toEqual([]);
  });
});

// A real repository whose release moves the arena count and the Node heap limit of the service (leaky), and only a
// source-map flag of the web front end (fine), each in its own commit.
const analyzed = analyzedRepo({ commits: [
  { message: 'service', tag: 'v1', files: {
    'Dockerfile': 'FROM python:3.12-slim\nENV MALLOC_ARENA_MAX=2 PYTHONUNBUFFERED=1\nENV NODE_OPTIONS="--enable-source-maps"\nCOPY . /app\n',
    'web/Dockerfile': 'FROM node:22-slim\nENV NODE_OPTIONS=--enable-source-maps\n',
    'app.py': 'print(1)\n',
  } },
  { message: 'more arenas', files: { 'Dockerfile': 'FROM python:3.12-slim\nENV MALLOC_ARENA_MAX=8 PYTHONUNBUFFERED=1\nENV NODE_OPTIONS="--enable-source-maps"\nCOPY . /app\n' } },
  { message: 'unbuffered off', files: { 'Dockerfile': 'FROM python:3.12-slim\nENV MALLOC_ARENA_MAX=8 PYTHONUNBUFFERED=0\nENV NODE_OPTIONS="--enable-source-maps"\nCOPY . /app\n' } },
  { message: 'bigger heap', files: { 'Dockerfile': 'FROM python:3.12-slim\nENV MALLOC_ARENA_MAX=8 PYTHONUNBUFFERED=0\nENV NODE_OPTIONS="--enable-source-maps --max-old-space-size=6144"\nCOPY . /app\n' } },
  { message: 'trace warnings', tag: 'v2', files: { 'web/Dockerfile': 'FROM node:22-slim\nENV NODE_OPTIONS="--enable-source-maps --trace-warnings"\n' } },
] });

describe('Dockerfile memory settings between two refs', () => {
  it('lists each changed setting with the commit that made it, and no item for other variables', () => {
    const runtime = analyzed.report.dependencies.filter(d => d.ecosystem === 'runtime')
      .map(d => `${d.lockfile} ${d.name} ${d.from} -> ${d.to} ${d.change} ${d.commits.map(c => analyzed.repo.shas.indexOf(c)).join(',')}`);
    expect(runtime).toEqual([
      'Dockerfile env:MALLOC_ARENA_MAX 2 -> 8 other 1',
      'Dockerfile env:NODE_OPTIONS --enable-source-maps -> --enable-source-maps --max-old-space-size=6144 other 3',
      'web/Dockerfile env:NODE_OPTIONS --enable-source-maps -> --enable-source-maps --trace-warnings other 4',
    ]);
  });

  it('ranks a moved arena count and heap limit as memory settings, and a flag that sizes nothing below them', () => {
    const item = (lockfile: string, name: string) => analyzed.report.ranking.find(r => r.dependency?.name === name && r.dependency.lockfile === lockfile);
    const arenas = item('Dockerfile', 'env:MALLOC_ARENA_MAX');
    const heap = item('Dockerfile', 'env:NODE_OPTIONS');
    const maps = item('web/Dockerfile', 'env:NODE_OPTIONS');
    expect(arenas?.reasons.join('\n')).toMatch(/MALLOC_ARENA_MAX tunes the allocator or the heap/);
    expect(heap?.reasons.join('\n')).toMatch(/NODE_OPTIONS sizes the V8 heap differently \(no heap flags -> --max-old-space-size=6144\)/);
    expect(maps?.reasons.join('\n')).not.toMatch(/heap/);
    expect(arenas?.level).not.toBe('low');
    expect(heap?.level).not.toBe('low');
    expect(maps?.level).toBe('low');
    expect(maps?.score ?? 1).toBeLessThan(Math.min(arenas?.score ?? 0, heap?.score ?? 0));
  });
});
