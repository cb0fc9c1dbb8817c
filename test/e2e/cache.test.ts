import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildRepo, type HistoryCommit } from '../helpers/build-repo.js';
import { projectRoot, runCli } from '../helpers/cli.js';
import { loggingTool } from '../helpers/fake-npm-packages.js';
import { incidentHistory } from '../../src/demo/incident.js';

// The blob cache as a user meets it: `reldiff A B` twice, two runs at once, a damaged cache, --no-cache.

function yarnLock(versions: Record<string, string>): string {
  return `# yarn lockfile v1\n\n\n${Object.entries(versions).sort().map(([n, v]) =>
    `${n}@^${v.split('.')[0]}.0.0:\n  version "${v}"\n  resolved "https://registry.yarnpkg.com/${n}/-/${n}-${v}.tgz#0"\n  integrity sha512-${n}${v}\n`).join('\n')}`;
}

function history(): HistoryCommit[] {
  const versions: Record<string, string> = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`pkg-${i}`, '1.0.0']));
  const commits: HistoryCommit[] = [{ message: 'start', files: { 'yarn.lock': yarnLock(versions), 'src/app.js': 'export const a = 1;\n' }, tag: 'v1' }];
  for (let c = 1; c <= 8; c++) {
    versions[`pkg-${c}`] = `1.${c}.0`;
    if (c === 4) versions['pkg-1'] = '1.0.0';
    commits.push({ message: `bump pkg-${c}`, files: { 'yarn.lock': yarnLock(versions), 'src/app.js': `export const a = ${c};\n` } });
  }
  commits.push({ message: 'release', files: { 'src/app.js': 'export const a = 9;\n' }, tag: 'v2' });
  return commits;
}

const cacheDir = (repo: string): string => join(repo, '.git', 'reldiff-cache');
const entries = (dir: string): string[] => readdirSync(dir).flatMap(s => readdirSync(join(dir, s)).map(f => join(dir, s, f)));
/** The kind of each whole entry (cache/blob-cache.ts), one per file. */
const kinds = (dir: string): string[] => entries(dir).flatMap(f => {
  try {
    return [(JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')) as { kind: string }).kind];
  } catch {
    return [];
  }
});

function runAsync(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(done => {
    const child = spawn(process.execPath, [resolve(projectRoot, 'bin/reldiff.js'), '--offline', ...args], { cwd, env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', HOME: cwd } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    child.on('close', code => done({ code: code ?? -1, stdout, stderr }));
  });
}

describe('the blob cache (reldiff A B)', () => {
  it('gives the same bytes on the second run, with a damaged cache and with --no-cache, and keeps nothing with --no-cache', () => {
    const repo = buildRepo({ commits: history() });
    try {
      const uncached = runCli(['v1', 'v2', '--format', 'json', '--no-cache'], { cwd: repo.dir });
      expect(uncached.code, uncached.stderr).toBe(0);
      expect(existsSync(cacheDir(repo.dir))).toBe(false);
      const report = JSON.parse(uncached.stdout) as { dependencies: { name: string; commits: string[] }[] };
      // pkg-1 moved twice (up, then back down and so unchanged at v2); pkg-2 once, by its own commit.
      expect(report.dependencies.find(d => d.name === 'pkg-2')?.commits).toEqual([repo.shas[2]]);
      const first = runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir });
      expect(entries(cacheDir(repo.dir)).length).toBeGreaterThan(0);
      // yarn.lock at v1 and at v2, parsed once each and kept (cache/dependency-sets.ts).
      expect(kinds(cacheDir(repo.dir)).filter(k => k === 'dependency-set')).toHaveLength(2);
      const second = runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir });
      expect(first.stdout).toBe(uncached.stdout);
      expect(second.stdout).toBe(first.stdout);
      for (const [i, f] of entries(cacheDir(repo.dir)).entries()) writeFileSync(f, i % 2 === 0 ? '' : '\x1f\x8b garbage');
      const damaged = runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir });
      expect(damaged.code, damaged.stderr).toBe(0);
      expect(damaged.stdout).toBe(first.stdout);
      // The terminal report too, the way a person reads it.
      expect(runCli(['v1', 'v2'], { cwd: repo.dir }).stdout).toBe(runCli(['v1', 'v2', '--no-cache'], { cwd: repo.dir }).stdout);
    } finally {
      repo.cleanup();
    }
  }, 60_000);

  it('two runs at once on an empty cache both give the whole answer', async () => {
    const repo = buildRepo({ commits: history() });
    try {
      const expected = runCli(['v1', 'v2', '--format', 'json', '--no-cache'], { cwd: repo.dir }).stdout;
      const runs = await Promise.all([1, 2, 3].map(() => runAsync(['v1', 'v2', '--format', 'json'], repo.dir)));
      for (const r of runs) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toBe(expected);
      }
      expect(entries(cacheDir(repo.dir)).filter(f => f.endsWith('.tmp'))).toEqual([]);
      expect((await runAsync(['v1', 'v2', '--format', 'json'], repo.dir)).stdout).toBe(expected);
    } finally {
      repo.cleanup();
    }
  }, 60_000);
});

// Source digests (cache/source-digest.ts): a run reads the patch of the files whose blob pair it has not seen, and
// nothing else, and says the same bytes as a run that read every patch.

const poll = (n: number): string => `export function start(emitter) {\n  setInterval(() => emitter.emit('tick'), ${n});\n  emitter.on('data', d => seen.push(d));\n}\nconst seen = [];\n`;
const cleanup = "export function stop(t, e, f) {\n  clearInterval(t);\n  e.removeListener('x', f);\n  return 1;\n}\n";

function sourceHistory(): HistoryCommit[] {
  const commits: HistoryCommit[] = incidentHistory.commits.map(({ tag: _tag, ...c }) => ({ ...c, files: { ...c.files } }));
  Object.assign((commits[0] as HistoryCommit).files, {
    'web/old-name.js': 'export const name = "a";\n'.repeat(20), 'web/stop.js': cleanup, '.gitattributes': '*.gen.js -diff\n',
    'web/table.gen.js': 'export const t = [1];\n', 'vendor/lib.js': 'export function v() {}\n', 'assets/logo.bin': 'logo\0v1',
    'reldiff.config.json': JSON.stringify({ ignore: { paths: ['vendor/**'] } }),
  });
  (commits[0] as HistoryCommit).tag = 'v1';
  commits.push({ message: 'web: poll, rename, regenerate, vendor, logo', files: {
    'web/poll.js': poll(1000), 'web/old-name.js': null, 'web/new-name.js': `${'export const name = "a";\n'.repeat(20)}export const more = 1;\n`,
    'web/stop.js': 'export function stop(t, e, f) {\n  return 1;\n}\n', 'web/table.gen.js': 'export const t = [1, 2];\nsetInterval(() => 0, 5);\n',
    'vendor/lib.js': 'export function v() { setInterval(() => 0, 1); }\n', 'assets/logo.bin': 'logo\0v2',
  }, tag: 'v2' });
  commits.push({ message: 'web: poll faster', files: { 'web/poll.js': poll(500) }, tag: 'v3' });
  return commits;
}

/** A `git` first on PATH that logs its arguments, one line per call, then runs the real one. */
const loggingGit = (dir: string) => loggingTool('git', join(dir, 'bin'), { PATH: process.env['PATH'] ?? '' });

/** `reldiff <refs> --format json` in `dir`, which must succeed. */
const jsonIn = (dir: string) => (refs: string[], extra: string[] = [], env?: Record<string, string>): string => {
  const r = runCli([...refs, '--format', 'json', ...extra], { cwd: dir, ...(env ? { env } : {}) });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
};

describe('source digests (reldiff A B, the same refs again, one push later)', () => {
  it('reads no patch on a warm run and only the new pair one push later, with the same bytes as --no-cache', () => {
    const repo = buildRepo({ commits: sourceHistory() });
    const tools = mkdtempSync(join(tmpdir(), 'reldiff-git-log-'));
    try {
      const json = jsonIn(repo.dir);
      const expected2 = json(['v1', 'v2'], ['--no-cache']);
      const expected3 = json(['v1', 'v3'], ['--no-cache']);
      const report = JSON.parse(expected2) as { findings: { file: string; rule: string }[]; ranking: { title: string; reasons: string[] }[] };
      const reasons = (title: string): string => report.ranking.find(r => r.title === title)?.reasons.join('\n') ?? '';
      // The history says something of every kind a digest keeps: findings, heuristics, a generated file, a binary.
      expect(report.findings.some(f => f.file === 'web/poll.js')).toBe(true);
      expect(reasons('web/stop.js')).toMatch(/removed/);
      expect(reasons('assets/logo.bin')).toMatch(/binary file changed/);
      expect(report.ranking.some(r => r.title === 'vendor/lib.js')).toBe(false);

      expect(json(['v1', 'v2'])).toBe(expected2); // fills the cache
      const git = loggingGit(tools);
      const env = git.env;
      expect(json(['v1', 'v2'], [], env)).toBe(expected2);
      const patches = (): string[] => git.calls().filter(c => / diff /.test(` ${c} `) && c.includes('-U0'));
      // The rename and the binary file git calls text by content are the only patches a warm run still reads.
      expect(patches().every(c => !c.includes('web/poll.js') && !c.includes('web/stop.js') && !c.includes('vendor/lib.js'))).toBe(true);
      expect(patches().every(c => / -- /.test(c) && !/ --$/.test(c))).toBe(true);
      // One push later: every pair but web/poll.js's was seen; its patch is read, by name, with the few others.
      writeFileSync(join(tools, 'bin', 'calls.log'), '');
      expect(json(['v1', 'v3'], [], env)).toBe(expected3);
      expect(patches().length).toBeGreaterThan(0);
      expect(patches().every(c => / -- /.test(c))).toBe(true);
      expect(patches().some(c => c.includes('web/poll.js'))).toBe(true);
      expect(patches().some(c => c.includes('web/stop.js'))).toBe(false);
      // Other rule settings are other digests: the cache never answers for them.
      writeFileSync(join(repo.dir, 'rules-off.json'), JSON.stringify({ ignore: { paths: ['vendor/**'] }, rules: { 'js-interval-handle-dropped': 'off', 'js-listener-without-removal': 'off' } }));
      const other = json(['v1', 'v2'], ['--config', 'rules-off.json', '--no-cache']);
      expect(other).not.toBe(expected2);
      expect(json(['v1', 'v2'], ['--config', 'rules-off.json'])).toBe(other);
      // A damaged cache is a slower run, never another answer; the terminal report too.
      for (const [i, f] of entries(cacheDir(repo.dir)).entries()) writeFileSync(f, i % 2 === 0 ? '' : '\x1f\x8b garbage');
      expect(json(['v1', 'v3'])).toBe(expected3);
      expect(runCli(['v1', 'v3'], { cwd: repo.dir }).stdout).toBe(runCli(['v1', 'v3', '--no-cache'], { cwd: repo.dir }).stdout);
    } finally {
      repo.cleanup();
      rmSync(tools, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('source digests on other refs (neither the same refs nor one push later)', () => {
  it('takes the pairs an older run read from their shards, after another run wrote the latest entry, with the same bytes as --no-cache', () => {
    const repo = buildRepo({ commits: sourceHistory() });
    const tools = mkdtempSync(join(tmpdir(), 'reldiff-git-log-'));
    try {
      const json = jsonIn(repo.dir);
      const expected = json(['v1', 'v3'], ['--no-cache']);
      json(['v1', 'v2']); // reads web/stop.js's pair (v1 to v2), among others
      json(['v2', 'v3']); // writes last: the latest entry holds web/poll.js's pair of v2 to v3 only
      expect(kinds(cacheDir(repo.dir))).toContain('source-digest-shard');
      const git = loggingGit(tools);
      expect(json(['v1', 'v3'], [], git.env)).toBe(expected);
      const patches = git.calls().filter(c => / diff /.test(` ${c} `) && c.includes('-U0'));
      // web/poll.js is added in v1..v3, a pair no run saw: its patch is read; web/stop.js's pair comes from its shard.
      expect(patches.some(c => c.includes('web/poll.js'))).toBe(true);
      expect(patches.some(c => c.includes('web/stop.js') || c.includes('vendor/lib.js'))).toBe(false);
      // The shards this run added to read back whole: the same refs again still say the same bytes.
      expect(json(['v1', 'v3'])).toBe(expected);
    } finally {
      repo.cleanup();
      rmSync(tools, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('source digests under two runs at once', () => {
  it('three runs filling one empty cache all say what --no-cache says, and the cache they leave answers a warm run whole', async () => {
    const repo = buildRepo({ commits: sourceHistory() });
    const tools = mkdtempSync(join(tmpdir(), 'reldiff-git-log-'));
    try {
      const expected = runCli(['v1', 'v3', '--format', 'json', '--no-cache'], { cwd: repo.dir }).stdout;
      expect(JSON.parse(expected)).toMatchObject({ findings: expect.arrayContaining([expect.objectContaining({ file: 'web/poll.js' })]) });
      const runs = await Promise.all([1, 2, 3].map(() => runAsync(['v1', 'v3', '--format', 'json'], repo.dir)));
      for (const r of runs) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toBe(expected);
      }
      expect(entries(cacheDir(repo.dir)).filter(f => f.endsWith('.tmp'))).toEqual([]);
      expect(kinds(cacheDir(repo.dir))).toEqual(expect.arrayContaining(['source-digest-shard', 'source-digests-of-run', 'dependency-set']));
      // Every entry reads back whole, and a warm run takes every source file from them: no patch of web/ is read.
      expect(kinds(cacheDir(repo.dir))).toHaveLength(entries(cacheDir(repo.dir)).length);
      const git = loggingGit(tools);
      const warm = runCli(['v1', 'v3', '--format', 'json'], { cwd: repo.dir, env: git.env });
      expect(warm.stdout).toBe(expected);
      expect(git.calls().filter(c => / diff /.test(` ${c} `) && c.includes('-U0') && /web\/(poll|stop)\.js/.test(c))).toEqual([]);
    } finally {
      repo.cleanup();
      rmSync(tools, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('source digests and what no blob pair tells', () => {
  it('a text file over 8 MB that .gitattributes marks binary after a run is read as binary, not as the digest kept it', () => {
    const line = (i: number, salt: string): string => `export const v${i} = "${salt}";\n`;
    const big = (salt: string): string => Array.from({ length: 320_000 }, (_, i) => line(i, i % 50_000 === 7 ? salt : 'same')).join('');
    const repo = buildRepo({ commits: [
      { message: 'one', files: { 'data/big.js': big('a'), 'src/app.js': 'export const a = 1;\n' }, tag: 'v1' },
      { message: 'two', files: { 'data/big.js': big('b'), 'src/app.js': 'export const a = 2;\n' }, tag: 'v2' },
    ] });
    try {
      const json = (extra: string[] = []): string => {
        const r = runCli(['v1', 'v2', '--format', 'json', ...extra], { cwd: repo.dir });
        expect(r.code, r.stderr).toBe(0);
        return r.stdout;
      };
      expect(readFileSync(join(repo.dir, 'data/big.js')).length).toBeGreaterThan(8 * 1024 * 1024);
      const asText = json(['--no-cache']);
      expect(json()).toBe(asText); // fills the cache
      expect(json()).toBe(asText);
      writeFileSync(join(repo.dir, '.gitattributes'), 'data/big.js binary\n');
      const asBinary = json(['--no-cache']);
      const reasons = (report: string): string => JSON.stringify((JSON.parse(report) as { ranking: { title: string; reasons: string[] }[] })
        .ranking.find(r => r.title === 'data/big.js')?.reasons);
      expect(reasons(asBinary)).toMatch(/binary file changed/);
      expect(reasons(asText)).not.toMatch(/binary file changed/);
      expect(json()).toBe(asBinary);
      rmSync(join(repo.dir, '.gitattributes'));
      expect(json()).toBe(asText);
    } finally {
      repo.cleanup();
    }
  }, 120_000);
});
