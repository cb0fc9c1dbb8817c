import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBisectRepo, buildMergeRepo, type BisectRepo } from '../helpers/bisect-repo.js';
import { commandArgs, compileSources, git } from '../helpers/compiled.js';
import { isolatedEnv } from '../helpers/cli.js';

// reldiff bisect against real `git bisect run` on histories whose culprit is known. Tagged slow: real git.

const COUNT = 20;
const CHECK = 'echo run >> "$RUNS"; if grep -rqs --exclude-dir=.git BUG-MARKER .; then exit 1; fi; exit 0';
let dist = '';
const cleanup: string[] = [];

beforeAll(() => { dist = compileSources(); if (!process.env.RELDIFF_TEST_DIST) cleanup.push(join(dist, "..")); }, 180_000);
afterAll(() => { for (const dir of cleanup) rmSync(dir, { recursive: true, force: true }); });

function pythonModule(i: number, lines: number, marker: boolean): string {
  const body = Array.from({ length: lines }, (_, k) => `    total_${k} = ${i} + ${k}`).join('\n');
  return `def handler_${i}(request):\n${body}\n    return request\n${marker ? '# BUG-MARKER\n' : ''}`;
}

const LEAKY = (i: number): string => `class ImageFormatError(Exception):\n    pass\n\nIMAGE_FORMAT_ERROR = ImageFormatError("bad image")\n\n\ndef decode_${i}(data):\n    if not data:\n        raise IMAGE_FORMAT_ERROR\n    return data\n# BUG-MARKER\n`;

type Shape = 'first' | 'middle' | 'last';

function shapeFiles(shape: Shape, culprit: number): (i: number) => Record<string, string> {
  return i => {
    if (shape === 'first') return { [`app/mod_${i}.py`]: i === culprit ? LEAKY(i) : pythonModule(i, 2, false) };
    if (shape === 'last') {
      return i === culprit ? { [`docs/note_${i}.md`]: 'A note. BUG-MARKER\n' } : { [`app/mod_${i}.py`]: pythonModule(i, 30, false) };
    }
    return { [`app/mod_${i}.py`]: pythonModule(i, 1 + ((i * 7) % COUNT) * 3, i === culprit) };
  };
}

function counter(): string {
  const file = join(tmpdir(), `reldiff-runs-${process.pid}-${Math.random().toString(36).slice(2)}`);
  cleanup.push(file);
  return file;
}

function runs(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

function snapshot(dir: string): string {
  return [git(dir, ['rev-parse', 'HEAD']), git(dir, ['symbolic-ref', 'HEAD']), git(dir, ['status', '--porcelain=v1', '-uall']),
    git(dir, ['stash', 'list']), git(dir, ['worktree', 'list', '--porcelain']).replace(/\n\n/g, '\n')].join('---\n');
}

/** Leaves the user's checkout busy on purpose: a stash, a staged change, an untracked file. */
function dirtyCheckout(repo: BisectRepo): void {
  writeFileSync(join(repo.dir, 'README.md'), '# service\nlocal edit\n');
  git(repo.dir, ['stash', 'push', '-q', '-m', 'user work']);
  writeFileSync(join(repo.dir, 'staged.txt'), 'staged\n');
  git(repo.dir, ['add', 'staged.txt']);
  writeFileSync(join(repo.dir, 'untracked.txt'), 'mine\n');
  writeFileSync(join(repo.dir, '.git/hooks/post-checkout'), `#!/bin/sh\necho ran >> "${join(repo.dir, '.git/hook-ran')}"\n`, { mode: 0o755 });
}

/** A clean environment, as a CI job would have. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  // Registries point at a closed loopback port: no test reaches the internet.
  return { ...isolatedEnv(tmpdir()), ...extra };
}

function reldiff(repo: BisectRepo, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, commandArgs(dist, 'bisect', args), { cwd: repo.dir, encoding: 'utf8', env: cleanEnv(env) });
}

function gitBisect(repo: BisectRepo, command: string, runsFile: string): string {
  const clone = join(tmpdir(), `reldiff-git-bisect-${Math.random().toString(36).slice(2)}`);
  cleanup.push(clone);
  git(tmpdir(), ['clone', '-q', repo.dir, clone]);
  git(clone, ['bisect', 'start', 'v2', 'v1']);
  const out = spawnSync('git', ['bisect', 'run', 'sh', '-c', command], { cwd: clone, encoding: 'utf8', env: { ...process.env, RUNS: runsFile } });
  return /([0-9a-f]{40}) is the first bad commit/.exec(out.stdout)?.[1] ?? `no answer: ${out.stdout}${out.stderr}`;
}

const report: string[] = [];
afterAll(() => { if (report.length) console.log(`bisect runs (reldiff vs git bisect):\n${report.join('\n')}`); });

describe.each([
  { shape: 'first' as Shape, culprit: 13 },
  { shape: 'middle' as Shape, culprit: 7 },
  { shape: 'last' as Shape, culprit: 16 },
])('culprit ranked $shape (slow)', ({ shape, culprit }) => {
  it('finds the same first bad commit as git bisect run, within plain bisect + 2 runs, checkout untouched', () => {
    const repo = buildBisectRepo(COUNT, shapeFiles(shape, culprit));
    cleanup.push(repo.dir);
    dirtyCheckout(repo);
    const before = snapshot(repo.dir);

    const priors = reldiff(repo, ['v1', 'v2', '--export-priors']);
    expect(priors.status, priors.stderr).toBe(0);
    const weights = priors.stdout.trim().split('\n').map(line => Number(line.split(' --weight ')[1]));
    const rank = 1 + weights.filter(w => w > (weights[culprit] ?? 0)).length;
    if (shape === 'first') expect(rank).toBe(1);
    if (shape === 'last') expect(rank).toBeGreaterThan(COUNT - 3);

    const ourRuns = counter();
    const result = reldiff(repo, ['v1', 'v2', '--run', CHECK, '--format', 'json'], { RUNS: ourRuns });
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { firstBad: string; steps: number };
    const plainRuns = counter();
    const expected = gitBisect(repo, CHECK, plainRuns);
    expect(json.firstBad).toBe(expected);
    expect(json.firstBad).toBe(repo.shas[culprit]);
    expect(runs(ourRuns)).toBe(json.steps);
    expect(json.steps).toBeLessThanOrEqual(runs(plainRuns) + 2);
    if (shape === 'first') expect(json.steps).toBeLessThan(runs(plainRuns));
    report.push(`  culprit ranked ${shape} (#${rank} of ${COUNT}): reldiff ${json.steps} runs, git bisect ${runs(plainRuns)}`);
    expect(snapshot(repo.dir)).toBe(before);
    expect(existsSync(join(repo.dir, '.git/hook-ran'))).toBe(false);
  });
});

describe('a flaky check (slow)', () => {
  it('finds the culprit with --flaky although the check lies on fixed calls', () => {
    const culprit = 11;
    const repo = buildBisectRepo(COUNT, shapeFiles('middle', culprit));
    cleanup.push(repo.dir);
    // Lies on its 2nd and 5th call (a fixed pattern stands in for a seeded random one).
    const flaky = 'n=$(( $(cat "$RUNS" 2>/dev/null | wc -l) + 1 )); echo run >> "$RUNS"; '
      + 'bad=0; grep -rqs --exclude-dir=.git BUG-MARKER . && bad=1; '
      + 'case $n in 2|5) bad=$((1 - bad));; esac; exit $bad';
    const ourRuns = counter();
    const result = reldiff(repo, ['v1', 'v2', '--run', flaky, '--flaky', '--format', 'json'], { RUNS: ourRuns });
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { firstBad: string; steps: number; probability: number };
    expect(json.firstBad).toBe(repo.shas[culprit]);
    expect(json.probability).toBeGreaterThanOrEqual(0.95);
    const plainRuns = counter();
    const plain = gitBisect(repo, flaky, plainRuns);
    report.push(`  flaky check (lies on calls 2 and 5): reldiff --flaky ${json.steps} runs, correct; git bisect ${runs(plainRuns)} runs, ${plain === repo.shas[culprit] ? 'correct' : 'wrong commit'}`);
  });
});

describe('failure paths leave the checkout untouched (slow)', () => {
  it('aborts with a clear message when the command exits 128 or more', () => {
    const repo = buildBisectRepo(8, shapeFiles('middle', 3));
    cleanup.push(repo.dir);
    dirtyCheckout(repo);
    const before = snapshot(repo.dir);
    const result = reldiff(repo, ['v1', 'v2', '--run', 'exit 200']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/exited with 200 .*aborts the bisect/);
    expect(snapshot(repo.dir)).toBe(before);
  });

  it.each([
    ['a command that does not exist (127)', 'nonexistent-cmd-reldiff', /exit 127: the command was not found/],
    ['a script that is not executable (126)', './check.sh', /exit 126: the command is not executable/],
  ])('exits 2 saying the check cannot run, for %s, instead of naming a culprit (issue 12, item 11)', (_name, command, reason) => {
    // check.sh is committed without its executable bit in every commit.
    const repo = buildBisectRepo(8, i => ({ ...shapeFiles('middle', 3)(i), 'check.sh': '#!/bin/sh\nexit 0\n' }));
    cleanup.push(repo.dir);
    const before = snapshot(repo.dir);
    const result = reldiff(repo, ['v1', 'v2', '--run', command]);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stdout + result.stderr).not.toMatch(/first bad commit/);
    expect(result.stderr).toMatch(/^reldiff: the test command cannot run at [0-9a-f]{12} \(/);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(snapshot(repo.dir)).toBe(before);
    expect(git(repo.dir, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 when the check fails on the good ref too, instead of blaming the first commit (issue 12, item 11)', () => {
    const repo = buildBisectRepo(8, shapeFiles('middle', 3));
    cleanup.push(repo.dir);
    const runsFile = counter();
    const result = reldiff(repo, ['v1', 'v2', '--run', 'echo run >> "$RUNS"; exit 1'], { RUNS: runsFile });
    expect(result.status, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^reldiff: the test command fails on the good ref v1 \([0-9a-f]{12}\) too \(exit 1\)/);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    // A check that passes on v1 still names the first commit without complaint.
    const first = reldiff(repo, ['v1', 'v2', '--run', `test "$(git rev-parse HEAD)" = "${repo.base}"`, '--format', 'json']);
    expect(first.status, first.stderr).toBe(0);
    expect((JSON.parse(first.stdout) as { firstBad: string }).firstBad).toBe(repo.shas[0]);
  });

  it('exits 2 instead of guessing when every tested commit was skipped', () => {
    const repo = buildBisectRepo(8, shapeFiles('middle', 3));
    cleanup.push(repo.dir);
    const before = snapshot(repo.dir);
    const result = reldiff(repo, ['v1', 'v2', '--run', 'exit 125']);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^reldiff: all \d+ tested commits were skipped .*cannot be told/);
    expect(snapshot(repo.dir)).toBe(before);
  });

  it('never touches the user\'s work when TMPDIR is inside the repository and the check deletes its worktree\'s .git', () => {
    const repo = buildBisectRepo(8, shapeFiles('middle', 3));
    cleanup.push(repo.dir);
    dirtyCheckout(repo);
    writeFileSync(join(repo.dir, 'app/mod_0.py'), 'unstaged edit\n');
    const inside = join(repo.dir, 'tmp');
    mkdirSync(inside);
    const before = snapshot(repo.dir);
    const result = reldiff(repo, ['v1', 'v2', '--run', 'rm -f .git; exit 1'], { TMPDIR: inside, TMP: inside, TEMP: inside });
    expect(result.status, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^reldiff: the bisect worktree .* vanished \(its \.git file is gone; .*stopped without a verdict/);
    expect(readFileSync(join(repo.dir, 'app/mod_0.py'), 'utf8')).toBe('unstaged edit\n');
    expect(existsSync(join(repo.dir, 'staged.txt'))).toBe(true);
    expect(snapshot(repo.dir)).toBe(before);
    expect(git(repo.dir, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  });

  it.each([
    ['deletes its worktree folder', 'rm -rf "$PWD"; exit 1', /the folder is gone/],
    ['deletes the worktree\'s entry under .git/worktrees', 'rm -rf "$(git rev-parse --git-dir)"; exit 1', /its entry under \.git\/worktrees is gone/],
  ])('says the worktree vanished, with the reason, when the check %s (issue 12, item 18)', (_what, command, reason) => {
    const repo = buildBisectRepo(8, shapeFiles('middle', 3));
    cleanup.push(repo.dir);
    const before = snapshot(repo.dir);
    const result = reldiff(repo, ['v1', 'v2', '--run', command]);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^reldiff: the bisect worktree \S+ vanished \(/);
    expect(result.stderr).toMatch(reason);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    git(repo.dir, ['worktree', 'prune']);
    expect(snapshot(repo.dir)).toBe(before);
  });

  it.each([['SIGTERM', 143], ['SIGHUP', 129]] as const)('removes its worktrees and stops the command on %s', async (signal, status) => {
    const repo = buildBisectRepo(8, shapeFiles('middle', 3));
    cleanup.push(repo.dir);
    dirtyCheckout(repo);
    const before = snapshot(repo.dir);
    const marker = counter();
    const child = spawn(process.execPath, commandArgs(dist, 'bisect', ['v1', 'v2', '--run', `echo started > "${marker}"; sleep 30`]),
      { cwd: repo.dir, stdio: 'ignore', env: cleanEnv() });
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
    for (let i = 0; i < 300 && !existsSync(marker); i++) await new Promise(r => setTimeout(r, 100));
    expect(existsSync(marker)).toBe(true);
    expect(git(repo.dir, ['worktree', 'list']).trim().split('\n').length).toBe(2);
    child.kill(signal);
    expect(await exited).toBe(status);
    expect(git(repo.dir, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
    expect(snapshot(repo.dir)).toBe(before);
    expect(spawnSync('pgrep', ['-f', `echo started > "${marker}"`]).stdout.toString().trim()).toBe('');
  });
});

describe('merges and parallel runs (slow)', () => {
  it('descends into a merge found bad and agrees with git bisect run', () => {
    const repo = buildMergeRepo();
    cleanup.push(repo.dir);
    const result = reldiff(repo, ['v1', 'v2', '--run', CHECK, '--format', 'json'], { RUNS: counter() });
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { firstBad: string; tested: { sha: string }[] };
    expect(json.firstBad).toBe(repo.culprit);
    expect(gitBisect(repo, CHECK, counter())).toBe(repo.culprit);
  });

  it('tests several commits at once with --jobs and shows progress on a terminal', () => {
    const repo = buildBisectRepo(COUNT, shapeFiles('middle', 7));
    cleanup.push(repo.dir);
    const result = reldiff(repo, ['v1', 'v2', '--run', CHECK, '--jobs', '3'], { RUNS: counter(), RELDIFF_TEST_PROGRESS: '1' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^first bad commit: ${repo.shas[7]} change 7`));
    expect(result.stderr).toMatch(/reldiff bisect: step 1: [0-9a-f]{10} is (good|bad); best guess [0-9a-f]{10} \(p=0\.\d{3}\)/);
    expect(git(repo.dir, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  });
});

describe('reldiff probe as the test command (slow)', () => {
  it('finds the commit that starts leaking memory', () => {
    const culprit = 5;
    const server = (leaks: boolean): string => `const keep = [];\nsetInterval(() => { ${leaks ? 'keep.push(Buffer.alloc(2 * 1024 * 1024, 1));' : ''} }, 100);\n`;
    const repo = buildBisectRepo(8, i => ({ 'server.js': server(i >= culprit), [`notes/${i}.txt`]: `${i}\n` }));
    cleanup.push(repo.dir);
    const probe = `${process.execPath} ${commandArgs(dist, 'probe', []).join(' ')} --duration 2s --warmup 500ms --interval 100ms --threshold 60MB/min --quiet -- ${process.execPath} server.js`;
    const result = reldiff(repo, ['v1', 'v2', '--run', probe, '--format', 'json']);
    expect(result.status, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { firstBad: string }).firstBad).toBe(repo.shas[culprit]);
  });
});

describe('plans without running (slow)', () => {
  it('prints the dry-run plan and expected runs', () => {
    const repo = buildBisectRepo(COUNT, shapeFiles('first', 13));
    cleanup.push(repo.dir);
    const result = reldiff(repo, ['v1', 'v2', '--dry-run']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^20 candidate commits\. Expected runs [\d.]+ .*versus plain bisect/);
    expect(result.stdout).toContain(`test ${repo.shas[13]?.slice(0, 10)}`);
    // Each planned test and prior names its commit's subject, not only its hash.
    expect(result.stdout).toMatch(/highest priors:\n {2}\d\.\d{3} {2}[0-9a-f]{10} change \d+/);
  });
});
