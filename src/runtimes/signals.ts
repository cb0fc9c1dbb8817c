import type { DependencyChange, Signal } from '../types.js';

// Why a runtime change is a leak suspect. Points per signal id live in risk/weights.ts.

/**
 * Environment variables that set how a process allocates or how large its heap may grow: read from an image
 * config's environment and from a Dockerfile's ENV lines alike. LD_PRELOAD swaps the allocator itself.
 */
export const MEMORY_ENV = /^(MALLOC_[A-Z_]+|PYTHONMALLOC|PYTHONMALLOCSTATS|NODE_OPTIONS|LD_PRELOAD|GOGC|GOMEMLIMIT|GODEBUG|UV_THREADPOOL_SIZE|JAVA_TOOL_OPTIONS|JEMALLOC_CONF|MALLOC_CONF|MIMALLOC_[A-Z_]+|TCMALLOC_[A-Z_]+)$/;

// Node flags that size or inspect the V8 heap; NODE_OPTIONS that moves only other flags (--enable-source-maps) is a
// setting that changed, not a heap that did.
const NODE_HEAP_FLAG = /^--(max-old-space-size|max-semi-space-size|max-heap-size|max-young-generation-size|initial-old-space-size|initial-heap-size|expose-gc|gc-interval|optimize-for-size|heapsnapshot-near-heap-limit|heapsnapshot-signal|stack-size|jitless|max-http-header-size|v8-pool-size|huge-max-old-generation-size|single-threaded-gc)(=|$)/;
const heapFlags = (options: string | null): string =>
  (options ?? '').split(/\s+/).filter(f => NODE_HEAP_FLAG.test(f.replace(/_/g, '-'))).sort().join(' ');

const INTERPRETERS = new Set(['node', 'python', 'bun', 'deno', 'ruby', 'java', 'go', 'pypy']);
const LIBC = new Set(['glibc', 'musl']);
const ALLOCATORS = new Set(['jemalloc', 'tcmalloc', 'mimalloc']);

/** The C library a base-image tag implies: alpine is musl; the other official variants are Debian or Ubuntu. */
function libcOfTag(tag: string | null): 'musl' | 'glibc' | undefined {
  if (tag === null || tag === 'latest' || tag === 'digest') return undefined;
  return /alpine|musl/i.test(tag) ? 'musl' : 'glibc';
}

export function runtimeSignals(change: DependencyChange): Signal[] {
  if (change.ecosystem !== 'runtime') return [];
  const signals: Signal[] = [];
  const name = change.name;
  // A range (>=3.11, ^20, 22.x) says which versions are allowed, not which one runs: no interpreter signal.
  const isRange = (v: string | null): boolean => v !== null && /^[<>=^~!]|[\s,|*]|\.x$/.test(v);
  if (INTERPRETERS.has(name) && change.change !== 'removed' && !isRange(change.to)) {
    signals.push({ id: 'runtime-interpreter', detail: `a new ${name} brings its own garbage collector, allocator settings and C-extension ABI` });
  } else if (name.startsWith('os:') || name === 'base-rootfs') {
    signals.push({ id: 'runtime-base-image', detail: `the distribution under the service changed (${name.replace(/^os:/, '')}): its C library, allocator and OS packages with it` });
  } else if (name.startsWith('image:')) {
    signals.push({ id: 'runtime-base-image', detail: 'a new base image can bring another C library, allocator and OS packages' });
    // python:3.12-slim, node:22-alpine, library/golang:1.22: the official image's tag is the interpreter's version.
    const base = name.slice(name.lastIndexOf('/') + 1).replace(/^image:/, '').replace(/^golang$/, 'go');
    if (INTERPRETERS.has(base) && ['major', 'minor', 'patch', 'downgrade', 'prerelease'].includes(change.change)) {
      signals.push({ id: 'runtime-interpreter', detail: `the image's ${base} moves from ${change.from ?? ''} to ${change.to ?? ''}: its garbage collector, allocator settings and C-extension ABI with it` });
    }
    // Every stage's tag counts: a build stage on -slim and a last stage moved to -alpine is a move to musl.
    const before = new Set(change.fromVersions.map(libcOfTag).filter(l => l !== undefined));
    const after = [...new Set(change.toVersions.map(libcOfTag).filter(l => l !== undefined))].filter(l => !before.has(l));
    if (before.size > 0 && after.length > 0) {
      signals.push({ id: 'runtime-libc', detail: `the C library changes from ${[...before].join(', ')} to ${after.join(', ')} (malloc behaves very differently)` });
    }
  } else if (LIBC.has(name)) {
    signals.push({ id: 'runtime-libc', detail: `the C library (${name}) changed: malloc, arenas and thread stacks with it` });
  } else if (ALLOCATORS.has(name) || name === 'env:LD_PRELOAD') {
    signals.push({ id: 'runtime-allocator', detail: `the memory allocator changed (${name}): fragmentation and returned memory differ` });
  } else if (name === 'env:NODE_OPTIONS') {
    const [before, after] = [heapFlags(change.from), heapFlags(change.to)];
    if (before !== after) {
      signals.push({ id: 'runtime-memory-env', detail: `NODE_OPTIONS sizes the V8 heap differently (${before || 'no heap flags'} -> ${after || 'no heap flags'})` });
    }
  } else if (name.startsWith('env:') && MEMORY_ENV.test(name.slice(4))) {
    signals.push({ id: 'runtime-memory-env', detail: `${name.slice(4)} tunes the allocator or the heap` });
  }
  return signals;
}

/** Adds the runtime signals to changes of ecosystem `runtime`, keeping signals sorted by id. */
export function addRuntimeSignals(changes: DependencyChange[]): void {
  for (const change of changes) {
    // MALLOC_ARENA_MAX 2 -> 4 is a setting that moved, not a "major upgrade"; the setting's own signal says why.
    if (change.ecosystem === 'runtime' && change.name.startsWith('env:') && change.from !== null && change.to !== null) change.change = 'other';
    const extra = runtimeSignals(change);
    if (extra.length === 0) continue;
    change.signals = [...change.signals, ...extra].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
