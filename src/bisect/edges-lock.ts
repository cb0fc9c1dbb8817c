import { stripBom } from '../lockfiles/util.js';
import { isBerry } from '../lockfiles/yarn-detect.js';
import type { FormatId } from '../types.js';
import { npmRequires, semverRules, type EdgeRules, type Requires } from './deps-plan.js';
import { pdmRequires } from './edges-pdm.js';
import { pnpmRequires, pnpmRules } from './edges-pnpm.js';
import { poetryRequires } from './edges-poetry.js';
import { pythonRules } from './edges-python.js';
import { uvRequires } from './edges-uv.js';
import { yarnRequires } from './edges-yarn.js';

// Which edge reader and which range rules a lock format takes. A format with no reader here (Pipfile.lock and
// requirements pins record no edges; yarn berry, bun) plans with no groups, and its trials' skips find them.

const readers: Partial<Record<FormatId, { read: (text: string | undefined) => Requires; rules: EdgeRules }>> = {
  'npm-lock': { read: npmRequires, rules: semverRules('package-lock.json dependencies') },
  'yarn-classic': { read: yarnRequires, rules: semverRules('yarn.lock dependencies') },
  'pnpm-lock': { read: pnpmRequires, rules: pnpmRules },
  'poetry-lock': { read: poetryRequires, rules: pythonRules('poetry.lock [package.dependencies]') },
  'uv-lock': { read: uvRequires, rules: pythonRules('uv.lock dependencies') },
  'pdm-lock': { read: pdmRequires, rules: pythonRules('pdm.lock dependencies') },
};

export function lockEdges(format: FormatId | undefined, toText: string | undefined): { requires: Requires; rules?: EdgeRules } {
  // Every yarn.lock is named yarn-berry by its path; the content tells yarn 1's.
  const id = format === 'yarn-berry' && toText !== undefined && !isBerry(stripBom(toText)) ? 'yarn-classic' : format;
  const reader = id === undefined ? undefined : readers[id];
  if (!reader) return { requires: new Map() };
  return { requires: reader.read(toText), rules: reader.rules };
}
