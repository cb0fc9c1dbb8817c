import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apkInstalledPackages, dpkgStatusPackages } from '../image/os-packages.js';
import { readRuntimePins } from './pins.js';

// Whatever a repository or an image holds, the readers return pins or nothing: never a throw, never a pin without a
// name or version.
const PATHS = ['Dockerfile', '.nvmrc', '.node-version', '.python-version', '.tool-versions', 'package.json', 'pyproject.toml', 'pnpm-lock.yaml', '.github/workflows/ci.yml'];
const texts = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.array(fc.constantFrom('FROM ', 'ARG X=1', '${X}', ' AS b', 'jobs:', '  t:', '    steps:', '      - uses: actions/setup-node@v4', '        with: { node-version: ', '}', '[project]', 'requires-python = "', '"', '{"engines":{"node":', '1', '\\', '\n', ' ', ':', '@runtime:', '  node@runtime:1:'), { maxLength: 40 }).map(parts => parts.join('')),
);

describe('runtime and OS package readers on any text', () => {
  it('never throw and never give an empty name or version', () => {
    fc.assert(fc.property(fc.constantFrom(...PATHS), texts, (path, text) => {
      for (const p of readRuntimePins(path, text).packages) {
        expect(p.name.length).toBeGreaterThan(0);
        expect(p.version.length).toBeGreaterThan(0);
      }
    }), { numRuns: 400 });
    fc.assert(fc.property(texts, text => {
      for (const p of [...dpkgStatusPackages(text, 's'), ...apkInstalledPackages(text, 'a')]) expect(p.name && p.version).toBeTruthy();
    }), { numRuns: 200 });
  });

  it('reads an empty tag or digest as none', () => {
    expect(readRuntimePins('Dockerfile', 'FROM python:@\n').packages.map(p => `${p.name}@${p.version}`)).toEqual(['image:python@latest']);
  });
});
