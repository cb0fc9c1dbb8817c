import { ReldiffError } from '../errors.js';
import type { DependencySet } from '../types.js';
import { detectFormat } from './index.js';
import { parseRequirements } from './requirements.js';
import { shapeProblem } from './util.js';

const CONFLICT = /^(<{7}|>{7}|={7})( |$)/m;

/** Text of a file that a requirements file includes (`-r`/`-c`), from the same ref or folder. */
export type ReadInclude = (path: string) => string | undefined;

/**
 * Detects the format and parses, turning every failure into one user error that names the file and the line.
 * The parser's own warnings (unpinned requirements, unfollowed includes...) go into `warnings`.
 */
export function readDependencySet(text: string, path: string, warnings: string[] = [], readInclude?: ReadInclude): DependencySet {
  const conflict = CONFLICT.exec(text);
  if (conflict) {
    const line = text.slice(0, conflict.index).split('\n').length;
    throw new ReldiffError('bad-lockfile', `${path}:${line} has merge-conflict markers`,
      'Resolve the conflict (or regenerate the lockfile with your package manager) and commit it');
  }
  if (text.includes('\0')) {
    throw new ReldiffError('bad-lockfile', `${path} is a binary file, not a lockfile`, 'Check the path');
  }
  const format = detectFormat(path, text);
  if (!format) {
    throw new ReldiffError('unknown-format', `${path} is not a dependency file format reldiff reads`,
      'Supported: package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml, requirements.txt, pip list/freeze, poetry.lock, uv.lock, Pipfile.lock, pdm.lock, Cargo.lock, go.mod, Gemfile.lock, npm ls --json');
  }
  const parsed = format.id === 'requirements' && readInclude ? parseRequirements(text, path, readInclude) : format.parse(text, path);
  if (!parsed.ok) throw new ReldiffError('bad-lockfile', parsed.error.message, parsed.error.hint);
  const problem = shapeProblem(parsed.value);
  if (problem) throw new ReldiffError('bad-lockfile', `${path} (${format.id}) ${problem}`, 'Regenerate it with its package manager');
  for (const warning of parsed.warnings) warnings.push(warning);
  return parsed.value;
}
