import { afterAll, beforeAll } from 'vitest';
import { analyzeRefs } from '../../src/analyze.js';
import { buildRepo, type BuiltRepo, type History } from '../../src/demo/build-repo.js';
import { GitRepoReader } from '../../src/git/reader.js';
import type { Report } from '../../src/report/model.js';

/**
 * A real repository built before a file's tests and analysed from `from` to `to`, removed after them. The returned
 * object is filled in by `beforeAll`: read its fields inside tests only.
 */
export function analyzedRepo(history: History, refs: { from: string; to: string } = { from: 'v1', to: 'v2' }): { repo: BuiltRepo; report: Report } {
  const state = {} as { repo: BuiltRepo; report: Report };
  let reader: GitRepoReader | undefined;
  beforeAll(async () => {
    state.repo = buildRepo(history);
    reader = new GitRepoReader(state.repo.dir);
    state.report = (await analyzeRefs(reader, refs)).report;
  });
  afterAll(() => {
    reader?.close();
    state.repo?.cleanup();
  });
  return state;
}
