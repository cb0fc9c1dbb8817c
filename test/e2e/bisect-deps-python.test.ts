import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo, git, type BuiltRepo } from '../helpers/build-repo.js';
import { runCliAsync as runCli } from '../helpers/fake-npm-packages.js';
import { startSimpleIndex } from '../helpers/fake-simple-index.js';
import type { RegistryServer } from '../helpers/registry-server.js';

// reldiff bisect A B --deps over pinned Python requirements: a venv per trial from the interpreter on PATH, wheels
// built at test time on a loopback simple index (PIP_INDEX_URL; PyPI is never asked), a check that sees leak-py 1.1.

const NOISE = ['noise-one', 'noise-two', 'noise-three', 'noise-four', 'noise-five'];
const work = mkdtempSync(join(tmpdir(), 'reldiff-deps-py-'));
let server: RegistryServer;
let repo: BuiltRepo;
let env: Record<string, string>;

const pins = (v: '1.0' | '1.1') => `${['leak-py', ...NOISE].sort().map(n => `${n}==${v}`).join('\n')}\n`;

beforeAll(async () => {
  server = await startSimpleIndex(['leak-py', ...NOISE].flatMap(name => ['1.0', '1.1'].map(version => ({
    name, version, module: name.replace(/-/g, '_'), init: name === 'leak-py' && version === '1.1' ? 'LEAKS = True\n' : 'LEAKS = False\n',
  }))));
  mkdirSync(join(work, 'tmp'));
  env = { HOME: work, TMPDIR: join(work, 'tmp'), PIP_INDEX_URL: `${server.url}simple/`, PIP_CACHE_DIR: join(work, 'pip-cache'), PIP_CONFIG_FILE: '/dev/null',
    PIP_DISABLE_PIP_VERSION_CHECK: '1' };
  mkdirSync(join(work, 'repo'));
  const check = 'import sys, leak_py\nsys.exit(1 if leak_py.LEAKS else 0)\n';
  repo = buildRepo({ commits: [
    { message: 'service', tag: 'v1', files: { 'requirements.txt': pins('1.0'), 'check.py': check } },
    { message: 'pip-compile --upgrade', tag: 'v2', files: { 'requirements.txt': pins('1.1') } },
  ] }, join(work, 'repo'));
}, 60_000);

afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('reldiff bisect --deps (Python requirements)', () => {
  it('names leak-py 1.0 -> 1.1, running the check inside each trial\'s venv, and touches nothing of the user\'s', async () => {
    const before = git(repo.dir, ['status', '--porcelain', '--ignored']);
    const run = 'test -n "$VIRTUAL_ENV" && test "$(command -v python)" = "$VIRTUAL_ENV/bin/python" && python check.py';
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', run, '--format', 'json'], { cwd: repo.dir, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.culprit).toMatchObject({ name: 'leak-py', from: '1.0', to: '1.1', lockfile: 'requirements.txt' });
    expect(out.runs).toBeLessThanOrEqual(Math.ceil(Math.log2(6)) + 2);
    for (const t of out.trials) expect(t.verdict).toBe(t.set.includes('leak-py@1.1') ? 'bad' : 'good');
    expect(server.requests.every(r => r.path.startsWith('/simple/') || r.path.startsWith('/files/'))).toBe(true);
    expect(git(repo.dir, ['status', '--porcelain', '--ignored'])).toBe(before);
    expect(git(repo.dir, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
    expect(readdirSync(join(work, 'tmp'))).toEqual([]);
  }, 240_000);

  it('makes each trial\'s venv with uv venv when uv is on PATH, and still names leak-py', async () => {
    // uv is not on this machine, so a stand-in named uv takes its place: it logs how it was called and makes the venv
    // the way `uv venv --python EXE [--seed] DIR` does (a venv of EXE, pip in it only with --seed). What this proves is
    // reldiff's part: uv is asked, for the same interpreter, and the pins go into the venv it made.
    const bin = join(work, 'uv-bin');
    mkdirSync(bin);
    const log = join(work, 'uv-calls.log');
    writeFileSync(join(bin, 'uv'), `#!/bin/sh
printf '%s\\n' "$*" >> '${log}'
[ "$1" = venv ] || exit 2; shift
seed=--without-pip; exe=python3
while [ $# -gt 1 ]; do case "$1" in --python) exe="$2"; shift 2;; --seed) seed=; shift;; *) shift;; esac; done
exec "$exe" -m venv $seed "$1"
`, { mode: 0o755 });
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'python check.py', '--format', 'json'], { cwd: repo.dir,
      env: { ...env, PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}` } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.culprit).toMatchObject({ name: 'leak-py', from: '1.0', to: '1.1' });
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls).toHaveLength(out.runs);
    for (const call of calls) expect(call).toMatch(/^venv --quiet --python \/\S+ (--seed )?\/\S+venv-\d+-\d+$/);
  }, 240_000);

  it('on Ctrl-C mid-trial removes the worktrees and the venvs, and leaves the checkout as it was', async () => {
    const before = git(repo.dir, ['status', '--porcelain', '--ignored']);
    const marker = join(work, 'check-started');
    const child = spawn(process.execPath, [resolve(import.meta.dirname, '../../bin/reldiff.js'), 'bisect', '--offline', 'v1', 'v2', '--deps',
      '--run', `touch ${marker}; sleep 30`], { cwd: repo.dir, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NO_COLOR: '1', ...env }, stdio: 'ignore' });
    const closed = new Promise<number | null>(done => child.on('close', code => done(code)));
    for (let i = 0; i < 600 && !existsSync(marker); i++) await new Promise(r => setTimeout(r, 100));
    expect(existsSync(marker)).toBe(true);
    expect(readdirSync(join(work, 'tmp')).length).toBeGreaterThan(0);
    child.kill('SIGINT');
    expect(await closed).toBe(130);
    expect(readdirSync(join(work, 'tmp'))).toEqual([]);
    expect(git(repo.dir, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
    expect(git(repo.dir, ['status', '--porcelain', '--ignored'])).toBe(before);
  }, 120_000);

  it('counts a pin the index does not have as a skip, and says so when every trial is one (exit 2)', async () => {
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'python check.py'], { cwd: repo.dir,
      env: { ...env, PIP_INDEX_URL: `${server.url}nothing-here/` } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^reldiff: all \d+ trials were skipped \(first: pip install --no-deps exited 1: ERROR: Could not find a version that satisfies the requirement [a-z-]+==1\.\d .*\), so no upgrade can be named\. /);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  }, 240_000);
});

describe('reldiff bisect --deps on a Python lock it cannot install yet', () => {
  it('plans it with --dry-run, and refuses to run trials (exit 2, one line) instead of installing a partial set', async () => {
    // pylock.toml (PEP 751): read for the report, not yet turned into trial pins.
    const lock = (six: string) => `lock-version = "1.0"\ncreated-by = "pdm"\n\n[[packages]]\nname = "six"\nversion = "${six}"\nindex = "https://pypi.org/simple"\n\n[[packages]]\nname = "pytz"\nversion = "2024.1"\nindex = "https://pypi.org/simple"\n`;
    mkdirSync(join(work, 'pylock-repo'));
    const built = buildRepo({ commits: [
      { message: 'app', tag: 'v1', files: { 'pylock.toml': lock('1.15.0') } },
      { message: 'bump six', tag: 'v2', files: { 'pylock.toml': lock('1.16.0') } },
    ] }, join(work, 'pylock-repo'));
    const plan = await runCli(['bisect', 'v1', 'v2', '--deps', '--dry-run'], { cwd: built.dir, env });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('six 1.15.0 -> 1.16.0');
    const result = await runCli(['bisect', 'v1', 'v2', '--deps', '--run', 'true'], { cwd: built.dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^reldiff: bisect --deps cannot install pylock.toml yet .*\n$/);
  }, 60_000);
});
