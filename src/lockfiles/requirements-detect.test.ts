import { describe, expect, it } from 'vitest';
import { detectFormat, isLockfilePath } from './index.js';

describe('requirements files by name and by location', () => {
  it.each([
    'requirements.txt', 'dev-requirements.txt', 'constraints.txt', 'requirements.lock',
    'requirements/base.txt', 'requirements/default.txt', 'requirements/runtime-deps.txt', 'services/api/requirements/prod.txt',
    'reqs/test.txt', 'requirements.d/ci.txt',
  ])('%s is read as requirements', path => {
    expect(isLockfilePath(path)).toBe(true);
    expect(detectFormat(path, '')?.id).toBe('requirements');
  });

  it.each(['requirements/base.in', 'docs/requirements.md', 'notes.txt', 'src/requirements_check.py', 'LICENSE.txt'])('%s is not', path => {
    expect(detectFormat(path, '')?.id).not.toBe('requirements');
  });
});
