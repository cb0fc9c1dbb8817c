import type { DependencySet, Parsed } from '../types.js';
import { stripBom } from './util.js';
import { parseYarnBerry } from './yarn-berry.js';
import { parseYarnClassic } from './yarn-classic.js';
import { isBerry } from './yarn-detect.js';

/** Any `yarn.lock`, read by the parser of its generation (the content decides, see yarn-detect.ts). */
export function parseYarnLock(input: string, path: string): Parsed<DependencySet> {
  const text = stripBom(input);
  return isBerry(text) ? parseYarnBerry(text, path) : parseYarnClassic(text, path);
}
