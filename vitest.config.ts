import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // One worker per core, not vitest's default of one fewer: the end-to-end tests mostly wait on the git, npm, pip
    // and reldiff processes they start, so on a 2-core machine one worker left a core idle (suite 539 s -> 368 s).
    maxWorkers: availableParallelism(),
    // End-to-end tests run the CLI that `npm test` has just built, rather than compiling their own copy.
    env: { RELDIFF_TEST_DIST: resolve(import.meta.dirname, 'dist') },
  },
});
