import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { buildRepo } from '../helpers/build-repo.js';
import { runCli } from '../helpers/cli.js';

// Issue 12, items 7, 8, 9, 15 and 16, through the built CLI: hostile or broken dependency files give exit 2 and one
// line that says what is wrong and how to fix it, and large or oddly named ones are read in full.

const dir = mkdtempSync(join(tmpdir(), 'reldiff-hostile-locks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (files: Record<string, string>): void => {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
};
const lock = (packages: Record<string, unknown>): string => JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': {}, ...packages } }, null, 2);
const good = lock({ 'node_modules/a': { version: '1.0.0' } });

const billionLaughs = (): string => {
  const names = 'abcdefghi';
  const lines = ["lockfileVersion: '9.0'", 'packages:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < names.length; i++) lines.push(`  ${names[i]}: &${names[i]} [${Array.from({ length: 9 }, () => `*${names[i - 1]}`).join(',')}]`);
  return `${lines.join('\n')}\n`;
};

describe('broken dependency files end in exit 2 with one line, never a stack or a wrong answer', () => {
  it.each([
    ['a YAML alias bomb', 'bomb/pnpm-lock.yaml', billionLaughs(), /^reldiff: bomb\/pnpm-lock\.yaml:\d+ \(pnpm-lock\) is not valid YAML \(YAML aliases expand to more than 1,000,000 nodes.*\. Regenerate it with `pnpm install --lockfile-only`$/],
    ['a number version', 'num/package-lock.json', lock({ 'node_modules/a': { version: 1 } }), /^reldiff: num\/package-lock\.json:\d+ \(npm-lock\) has "version" = a number \(1\) in "node_modules\/a", where a string is expected\. Regenerate/],
    ['an object version', 'obj/package-lock.json', lock({ 'node_modules/a': { version: { major: 1 } } }), /has "version" = a table or object in "node_modules\/a"/],
    ['"packages": [1,2,3]', 'list/package-lock.json', JSON.stringify({ lockfileVersion: 3, packages: [1, 2, 3] }), /has "packages" = a list, where an object keyed by install path is expected/],
    ['uv.lock version 2', 'uv2/uv.lock', 'version = 2\nrequires-python = ">=3.9"\n\n[[package]]\nname = "a"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\n',
      /^reldiff: uv2\/uv\.lock:1 \(uv-lock\) has version 2, which reldiff does not know\. reldiff reads uv\.lock version 1/],
    ['a uv.lock package version that is a number', 'uvnum/uv.lock', 'version = 1\nrevision = 3\nrequires-python = ">=3.9"\n\n[[package]]\nname = "a"\nversion = 2\nsource = { registry = "https://pypi.org/simple" }\n',
      /has "version" = a number \(2\) in "a", where a string is expected/],
  ])('%s', (_what, path, text, message) => {
    write({ [path]: text });
    const sibling = path.endsWith('uv.lock')
      ? 'version = 1\nrevision = 3\nrequires-python = ">=3.9"\n\n[[package]]\nname = "a"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\n'
      : path.endsWith('.yaml') ? "lockfileVersion: '9.0'\n" : good;
    const other = `${path}.good${path.slice(path.lastIndexOf('/'))}`;
    write({ [other]: sibling });
    // A hang is caught by the test's own timeout; the suite asserts no timings.
    const r = runCli(['deps', other, path, '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr).not.toMatch(/\[object Object\]|    at |heap/);
  });
});

describe('a path that is not a file (hostile trial, nit)', () => {
  it.each([
    ['a folder', 'folder', /^reldiff: folder is a folder, not a lockfile\. Name the lockfile inside it, e\.g\. folder\/package-lock\.json$/],
    ['an empty path', '', /^reldiff: an empty path was given as a lockfile\. Name two lockfiles or image archives: reldiff deps <before> <after>$/],
  ])('%s ends in exit 2 with one line that says what it is', (_what, path, message) => {
    mkdirSync(join(dir, 'folder'), { recursive: true });
    write({ 'one/package-lock.json': good });
    const r = runCli(['deps', path, 'one/package-lock.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toMatch(message);
  });
});

describe('large and oddly named dependency files are read in full', () => {
  it('diffs two package-lock.json files of 200,000 packages each (no spread of an unbounded array)', () => {
    const many = (version: string): string => {
      const packages: Record<string, unknown> = { '': { dependencies: {} } };
      for (let i = 0; i < 200_000; i++) packages[`node_modules/p${i}`] = { version, integrity: `sha512-${version}${i}` };
      return JSON.stringify({ name: 'app', lockfileVersion: 3, packages });
    };
    write({ 'big/a/package-lock.json': many('1.0.0'), 'big/b/package-lock.json': many('1.0.1') });
    const r = runCli(['deps', 'big/a/package-lock.json', 'big/b/package-lock.json', '--format', 'json', '--output', 'big/report.json'], { cwd: dir });
    expect(r.stderr).not.toMatch(/Maximum call stack|    at /);
    expect(r.code).toBe(0);
  }, 180_000);

  it('reldiff deps follows -r in a requirements file not named requirements*.txt (told by content)', () => {
    write({
      'inc/old/deps.txt': '-r base.txt\nflask==3.0.0\n', 'inc/old/base.txt': 'pytz==2023.3\n',
      'inc/new/deps.txt': '-r base.txt\nflask==3.0.0\n', 'inc/new/base.txt': 'pytz==2024.1\n',
    });
    const r = runCli(['deps', 'inc/old/deps.txt', 'inc/new/deps.txt', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report;
    expect(report.dependencies.map(d => [d.name, d.from, d.to])).toEqual([['pytz', '2023.3', '2024.1']]);
  });

  it('reldiff A B follows -r in a file that "lockfiles.include" adds, when it or only its include changed', () => {
    const repo = buildRepo({ commits: [
      { message: 'start', tag: 'v1', files: { 'reldiff.config.json': JSON.stringify({ lockfiles: { include: ['deps/*.txt'] } }),
        'deps/prod.txt': '-r ../common/base.txt\nflask==3.0.0\n', 'common/base.txt': 'pytz==2023.3\n' } },
      { message: 'bump both', tag: 'v2', files: { 'deps/prod.txt': '-r ../common/base.txt\nflask==3.0.1\n', 'common/base.txt': 'pytz==2024.1\n' } },
      { message: 'bump base only', tag: 'v3', files: { 'common/base.txt': 'pytz==2024.2\n' } },
    ] });
    try {
      const both = JSON.parse(runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir }).stdout) as Report;
      expect(both.dependencies.map(d => [d.lockfile, d.name, d.from, d.to])).toEqual([['deps/prod.txt', 'flask', '3.0.0', '3.0.1'], ['deps/prod.txt', 'pytz', '2023.3', '2024.1']]);
      const baseOnly = JSON.parse(runCli(['v2', 'v3', '--format', 'json'], { cwd: repo.dir }).stdout) as Report;
      expect(baseOnly.dependencies.map(d => [d.lockfile, d.name, d.from, d.to, d.commits])).toEqual([['deps/prod.txt', 'pytz', '2024.1', '2024.2', [repo.shas[2]]]]);
    } finally {
      repo.cleanup();
    }
  });
});
