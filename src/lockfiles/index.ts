import type { LockfileFormat } from '../types.js';
import npmLock from './npm-lock.js';
import pnpmLock from './pnpm-lock.js';
import npmLs from './npm-ls.js';
import yarnBerry from './yarn-berry.js';
import yarnClassic from './yarn-classic.js';
import { parseYarnLock } from './yarn-lock.js';
import pipfileLock from './pipfile-lock.js';
import poetryLock from './poetry-lock.js';
import uvLock from './uv-lock.js';
import pdmLock from './pdm-lock.js';
import cargoLock from './cargo-lock.js';
import goMod from './go-mod.js';
import gemfileLock from './gemfile-lock.js';
import pipList from './pip-list.js';
import requirements from './requirements.js';
import pylock from './pylock.js';
import bunLock from './bun-lock.js';
import condaLock from './conda-lock.js';
import condaList from './conda-list.js';
import pixiLock from './pixi-lock.js';

// Every supported dependency file format. Order matters only for content sniffing: the first format whose
// detect() accepts a file wins, so put stricter formats first.
// A yarn.lock may change generation between two revisions of its history (yarn 1 to berry): whichever format was
// detected, its parse reads either.
const anyYarn = (format: LockfileFormat): LockfileFormat => ({ ...format, parse: parseYarnLock });

export const formats: readonly LockfileFormat[] = [bunLock, npmLock, anyYarn(yarnBerry), anyYarn(yarnClassic), pnpmLock, pipfileLock, poetryLock, uvLock, pylock, pdmLock, condaLock, pixiLock, cargoLock, goMod, gemfileLock, npmLs, pipList, condaList, requirements];

/** The format of a file, by name first, then by content. */
export function detectFormat(path: string, text: string): LockfileFormat | undefined {
  return formats.find(f => f.detect(path, '')) ?? formats.find(f => f.detect(path, text));
}

/** Whether a path in a repository is a dependency file reldiff reads (by name only, no content). */
export function isLockfilePath(path: string): boolean {
  return formats.some(f => f.detect(path, ''));
}
