import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo, type BuiltRepo } from '../helpers/build-repo.js';
import { isolatedEnv, projectRoot, runCli } from '../helpers/cli.js';
import { lockV3 } from '../repos/npm-locks.js';

// Issue 12, item 6: values from a repository carry terminal escapes and bidi overrides (a commit subject that
// retitles the terminal and clears the screen, a file name that reads backwards, a package name that recolours the
// terminal). No output of any format, and no message, may carry them raw; each shows as a visible `\x1b`-style escape.

const ESC = '\x1b';
const SUBJECT = `Harmless ${ESC}]0;pwned\x07 tidy ${ESC}[2J up \u202etxt.exe\u2066`;
const PATH = `svc/${ESC}[2Jjobs\u202egnp.py`;
const PACKAGE = `evil${ESC}[31mred\u009b`;
// C0 except tab and newline, DEL, C1, bidi embeddings/overrides and isolates.
// eslint-disable-next-line no-control-regex
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

function rawOf(text: string): string[] {
  return [...text].filter(ch => RAW.test(ch)).map(ch => `U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

let repo: BuiltRepo;
let home = '';
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'reldiff-hostile-home-'));
  repo = buildRepo({ commits: [
    { message: 'base', files: { 'package-lock.json': lockV3([{ name: 'left-pad', version: '1.0.0' }], ['left-pad']), 'svc/ok.py': 'x = 1\n' }, tag: 'v1' },
    { message: SUBJECT, files: {
      'package-lock.json': lockV3([{ name: 'left-pad', version: '2.0.0' }, { name: PACKAGE, version: '1.0.0', script: true }], ['left-pad', PACKAGE]),
      [PATH]: 'CACHE = {}\n\ndef handle(request):\n    CACHE[request.id] = request\n    return len(CACHE)\n',
    } },
    { message: 'later', files: { 'svc/ok.py': 'x = 2\n' }, tag: 'v2' },
  ] });
});
afterAll(() => { repo.cleanup(); rmSync(home, { recursive: true, force: true }); });

const run = (args: string[]) => runCli(args, { cwd: repo.dir, env: isolatedEnv(home) });

describe('hostile text in a repository (issue 12, item 6)', () => {
  it.each(['terminal', 'markdown', 'json', 'sarif', 'html'])('--format %s carries no raw escape, and the values stay readable', format => {
    const r = run(['v1', 'v2', '--format', format]);
    expect(r.stderr.split('\n')[0] ?? '').not.toMatch(/^reldiff: (?!warning)/);
    expect(r.code).toBe(0);
    expect(rawOf(r.stdout)).toEqual([]);
    expect(rawOf(r.stderr)).toEqual([]);
    // Readable: the words around the escapes survive, and the escapes show as `\x1b`, `\u202e`.
    // SARIF has no commit subjects: its text fields name the changes.
    if (format !== 'sarif') expect(r.stdout).toMatch(/tidy/);
    expect(r.stdout).toMatch(/evil/);
    expect(r.stdout).toMatch(format === 'json' ? /\\u001b/ : /\\x1b/);
  });

  it('JSON keeps the exact values, as JSON escapes', () => {
    const report = JSON.parse(run(['v1', 'v2', '--format', 'json']).stdout) as { commits: { subject: string }[]; dependencies: { name: string }[] };
    expect(report.commits.map(c => c.subject)).toContain(SUBJECT);
    expect(report.dependencies.map(d => d.name)).toContain(PACKAGE);
  });

  it('the terminal report with colour keeps its own colours and nothing else', () => {
    const r = runCli(['v1', 'v2', '--color'], { cwd: repo.dir, env: { ...isolatedEnv(home), FORCE_COLOR: '1', NO_COLOR: '' } });
    const escapes = [...r.stdout.matchAll(/\x1b(\[[0-9;]*[A-Za-z]|.)/g)].map(m => m[0]);
    expect(escapes.every(e => /^\x1b\[[0-9;]*m$/.test(e))).toBe(true);
    expect(r.stdout).not.toMatch(/\x07|\x1b\]|\x1b\[2J|\u202e/);
  });

  it('comment --dry-run prints a clean body', () => {
    const r = runCli(['comment', 'v1', 'v2', '--dry-run'], { cwd: repo.dir, env: isolatedEnv(home) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tidy/);
    expect(rawOf(r.stdout)).toEqual([]);
  });

  it("bisect's result line shows the subject cleaned", () => {
    const r = spawnSync(process.execPath, [join(projectRoot, 'bin/reldiff.js'), 'bisect', '--offline', 'v1', 'v2', '--run', 'test ! -e package-lock.json || ! grep -q evil package-lock.json'],
      { cwd: repo.dir, env: isolatedEnv(home), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^first bad commit: [0-9a-f]{40} Harmless \\x1b\]0;pwned\\x07 tidy/);
    expect(rawOf(r.stdout)).toEqual([]);
  });

  it('an exit-2 error that quotes a path is one clean line', () => {
    const r = run(['deps', `${ESC}]0;x\x07old\u202e.txt`, 'new.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(rawOf(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(/\\x1b\]0;x\\x07old\\u202e\.txt/);
  });
});
