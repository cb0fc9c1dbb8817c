import { describe, expect, it } from 'vitest';
import { detectFormat } from './index.js';
import { parseRequirements } from './requirements.js';

describe('detectFormat for Python, Cargo, Go and Ruby files', () => {
  it('routes by file name', () => {
    const cases: [string, string][] = [
      ['requirements.txt', 'requirements'], ['requirements/dev-requirements.txt', 'requirements'],
      ['constraints.txt', 'requirements'], ['poetry.lock', 'poetry-lock'], ['uv.lock', 'uv-lock'],
      ['Pipfile.lock', 'pipfile-lock'], ['pdm.lock', 'pdm-lock'], ['Cargo.lock', 'cargo-lock'],
      ['svc/go.mod', 'go-mod'], ['Gemfile.lock', 'gemfile-lock'],
    ];
    for (const [path, id] of cases) expect([path, detectFormat(path, '')?.id]).toEqual([path, id]);
    expect(detectFormat('README.txt', '')).toBeUndefined();
  });

  it('routes environment dumps by content', () => {
    expect(detectFormat('image-a.txt', 'Package    Version\n---------- -------\nDjango     4.2.7\n')?.id).toBe('pip-list');
    expect(detectFormat('image-a.json', '[{"name": "Django", "version": "4.2.7"}]')?.id).toBe('pip-list');
    expect(detectFormat('freeze.txt', 'Django==4.2.7\nsix==1.16.0\n')?.id).toBe('requirements');
    expect(detectFormat('lock.json', '{\n  "_meta": {\n    "pipfile-spec": 6\n  },\n  "default": {}\n}')?.id).toBe('pipfile-lock');
  });
});

describe('requirements includes without a reader', () => {
  it('warns that the included file was not read', () => {
    const r = parseRequirements('-r base.txt\nflask==3.0.0\n', 'requirements.txt');
    expect(r.ok && r.warnings).toEqual(['requirements.txt:1: included file base.txt is not read here; its requirements are left out']);
  });
});
