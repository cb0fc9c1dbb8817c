import type { ChangeKind, Level, Severity } from '../types.js';

// Every number of the risk model, in one table. Points add up per item; the score is 1 - exp(-points / squash),
// so that more evidence always ranks higher without ever reaching 1. Config files may override any entry.

export interface Weights {
  /** Points per kind of dependency change. */
  change: Record<ChangeKind, number>;
  /** Added for a dependency the project names itself (it is loaded for sure). */
  direct: number;
  /** Multiplies the points of a development-only dependency: it does not run in production. */
  devFactor: number;
  /**
   * Multiplies a dependency change in a library's own lockfile or requirements pins: they are what its CI and
   * developers install; its users resolve versions from the ranges in its package metadata.
   */
  libraryPinFactor: number;
  /** Points per signal id, for signals from lockfiles, registries and deep scans. Unknown ids get `defaultSignal`. */
  signals: Record<string, number>;
  defaultSignal: number;
  source: {
    /** Points per doubling of changed lines (log2 of added + removed + 1). */
    perLog2Lines: number;
    addedFile: number;
    /** Per kind of cleanup code deleted (listener removal, timer clearing, close, cache bounds...). */
    removedCleanup: number;
    /** Error handling added or changed: raise/throw/except/catch lines. */
    errorHandling: number;
    /** Module-level state introduced: caches, registries, globals. */
    moduleState: number;
    /**
     * Multiplies a file by what it is (risk/path-kind.ts). Generated output and vendored copies are rewritten by
     * tools, not by the change that leaks; tests, docs, CI and tooling never run in the service; data files
     * (JSON, YAML, images, styles) hold no code that allocates.
     */
    kindFactor: { generated: number; vendored: number; test: number; docs: number; tooling: number; data: number };
    /** A runtime file on a per-request, per-connection or per-event path (its name says so): where leaks live. */
    hotPath: number;
    /** Multiplies a whole deleted file: code that is gone allocates nothing (its removed cleanup left with it). */
    deletedFileFactor: number;
    /** Renamed or copied with no content change. */
    pureRename: number;
    binary: number;
    /** A submodule (gitlink) moved: another repository's code changed by an amount this diff cannot see. */
    submodule: number;
  };
  /** Points a rule finding adds to its file, by severity. High must outrank any plain large change. */
  finding: Record<Severity, number>;
  /** Divisor in the squash from points to a 0..1 score. */
  squash: number;
  /** Lowest score of each level above `low`. */
  levels: Record<Exclude<Level, 'low'>, number>;
  /** How much of the remaining distance to a score of 1 a runtime-evidence match closes, by how precise it is. */
  evidence: { line: number; package: number; file: number; type: number; inferred: number };
  /** How much a commit's other changes add to its strongest one (0: only the strongest counts). */
  commitOthersFactor: number;
  /** Score below which an item is never in the bisect test-first list. */
  testFirstMinScore: number;
  testFirstCount: number;
}

export const defaultWeights: Weights = {
  change: { added: 18, removed: 2, major: 24, minor: 12, patch: 5, prerelease: 16, downgrade: 12, reresolved: 10, other: 8 },
  direct: 8,
  devFactor: 0.25,
  // Below a small runtime source change: a pin bump of a library reaches no user, its own code does.
  libraryPinFactor: 0.3,
  signals: {
    'install-script': 20,
    'install-script-added': 28,
    'native-code': 28,
    'native-added': 32,
    'many-versions': 4,
    'lockfile-added': 0,
    'install-script-changed': 16,
    'fresh-release': 10,
    'versions-skipped': 4,
    'deprecated': 6,
    'yanked': 14,
    'new-dependencies': 6,
    'maintainers-changed': 6,
    'publisher-changed': 8,
    'size-growth': 6,
    'leak-prone-category': 12,
    'deep-scan': 36,
    'changelog-memory': 20,
    // A release after `to` says it fixed a leak: the version moved to probably carries it. Nearly as strong as a
    // rule hit inside the package (the maintainers found it in production), so that alone it lifts a minor upgrade
    // (12 + 8 direct) to high.
    'later-leak-fix': 34,
    // The range's notes announce a cache, a pool, keep-alive or retention as a feature: memory kept on purpose,
    // often unbounded at first. Weaker than a leak named as such.
    'notes-retention': 10,
    // C, Cython or built extension files of a Python package changed: leaks there are invisible to tracemalloc and
    // objgraph, so nothing later in a Python investigation would point at them.
    'compiled-changed': 24,
    // Folded per-platform binaries: the parent's own change already carries the risk; the count is information.
    'platform-binaries': 0,
    // Runtimes (src/runtimes/signals.ts). A new interpreter swaps the garbage collector, the object allocator and the
    // C-extension ABI at once: a minor Python or Node upgrade (12 + 8 runtime + 36) lands as high, a patch as medium.
    'runtime-interpreter': 36,
    // A base image is a bundle of C library, allocator and OS packages; the image reading names them when it can.
    'runtime-base-image': 16,
    // glibc <-> musl or a new glibc: arena and fragmentation behaviour is the classic "leak" after an upgrade.
    'runtime-libc': 36,
    // jemalloc/tcmalloc appearing or going (or LD_PRELOAD): resident memory can double or halve with no code change.
    'runtime-allocator': 40,
    // MALLOC_ARENA_MAX, PYTHONMALLOC, NODE_OPTIONS=--max-old-space-size...: the heap's own limits moved.
    'runtime-memory-env': 30,
  },
  defaultSignal: 6,
  source: {
    perLog2Lines: 3,
    addedFile: 4,
    removedCleanup: 16,
    errorHandling: 6,
    moduleState: 10,
    // Generated and vendored: near nothing, so that a 50,000-line generated schema (17 x 3 = 47 points by size)
    // lands below a 10-line runtime change (10 points). Tests and tooling: a change there can still matter to a
    // reviewer, but a leak in the service is almost never one.
    kindFactor: { generated: 0.02, vendored: 0.05, test: 0.1, docs: 0.05, tooling: 0.1, data: 0.15 },
    // About what doubling the size of a change earns three times over: a small change to a connection handler
    // outranks a large rename elsewhere, but never a rule finding (low = 10).
    hotPath: 8,
    deletedFileFactor: 0.3,
    pureRename: 0,
    binary: 2,
    // As much as a dependency change of unknown kind (change.other): a submodule bump is an upgrade of another
    // project whose diff is not here, so nothing else about it can be scored.
    submodule: 8,
  },
  finding: { low: 10, medium: 24, high: 60, critical: 90 },
  squash: 60,
  levels: { medium: 0.3, high: 0.6, critical: 0.85 },
  evidence: { line: 0.6, package: 0.5, file: 0.4, type: 0.3, inferred: 0.2 },
  commitOthersFactor: 0.25,
  testFirstMinScore: 0.15,
  testFirstCount: 5,
};
