import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // End-to-end tests run the CLI that `npm test` has just built, rather than compiling their own copy.
    env: { RELDIFF_TEST_DIST: resolve(import.meta.dirname, 'dist') },
  },
});
