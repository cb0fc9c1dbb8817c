import { mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildRepo, git, type BuiltRepo } from '../helpers/build-repo.js';
import { projectRoot, runCli } from '../helpers/cli.js';
import { incidentHistory } from '../../src/demo/incident.js';

// cli/replay.ts as a user meets it: `reldiff A B --offline` again prints what the first run printed, and any input
// that changed (a file the run read, the environment, the command line, where a ref points, reldiff's own code)
// makes it compute again. To tell a replay from a run that computed the same bytes, the kept output is overwritten
// with a marker: a run that prints the marker was served from the entry.

const MARKER = 'REPLAYED FROM THE KEPT ENTRY\n';
const replayDir = (repo: BuiltRepo): string => join(repo.dir, '.git', 'reldiff-cache', 'replay');
const entryFiles = (repo: BuiltRepo): string[] => {
  try {
    return readdirSync(replayDir(repo)).filter(f => f.endsWith('.json.gz')).map(f => join(replayDir(repo), f));
  } catch {
    return [];
  }
};
interface Entry { stamps: [string, string][]; stdout: string[]; code: number }
const readEntry = (file: string): Entry => JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Entry;
/** Every kept entry now prints the marker. */
function mark(repo: BuiltRepo): void {
  const files = entryFiles(repo);
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) writeFileSync(f, gzipSync(JSON.stringify({ ...readEntry(f), stdout: [MARKER] })));
}

function incident(): BuiltRepo {
  return buildRepo(incidentHistory);
}

describe('replaying an identical run (reldiff A B --offline)', () => {
  it('prints the kept bytes and exit code again, and the same bytes as a run that computes', () => {
    const repo = incident();
    try {
      const [from, to] = ['v1.4.0', 'v1.5.0'];
      const computed = runCli([from, to, '--no-cache'], { cwd: repo.dir });
      expect(computed.code, computed.stderr).toBe(0);
      expect(entryFiles(repo)).toEqual([]);
      const first = runCli([from, to], { cwd: repo.dir });
      expect(first.stdout).toBe(computed.stdout);
      expect(entryFiles(repo)).toHaveLength(1);
      const second = runCli([from, to], { cwd: repo.dir });
      expect(second).toEqual(first);
      mark(repo);
      expect(runCli([from, to], { cwd: repo.dir }).stdout).toBe(MARKER);
      // The gate's exit code is kept with the output.
      const gated = runCli([from, to, '--fail-on', 'low'], { cwd: repo.dir });
      expect(gated.code).toBe(1);
      expect(runCli([from, to, '--fail-on', 'low'], { cwd: repo.dir })).toEqual(gated);
    } finally {
      repo.cleanup();
    }
  }, 120_000);

  it('computes again when a file it read, the environment, the command line, a ref or the day changes', () => {
    const repo = incident();
    try {
      const refs = ['v1.4.0', 'v1.5.0'];
      const run = (extra: string[] = [], env?: Record<string, string>): string => {
        const r = runCli([...refs, ...extra], { cwd: repo.dir, ...(env ? { env } : {}) });
        expect(r.code, r.stderr).toBe(0);
        return r.stdout;
      };
      const expected = run();
      const changes: [string, () => void, () => string][] = [
        ['a config file appears at the repository root', () => writeFileSync(join(repo.dir, 'reldiff.config.json'), '{"ignore":{"packages":["nothing-here"]}}\n'), () => run()],
        ['the config file is edited', () => writeFileSync(join(repo.dir, 'reldiff.config.json'), '{"ignore":{"packages":["nothing-at-all"]}}\n'), () => run()],
        ['an acknowledgement file appears', () => {
          mkdirSync(join(repo.dir, '.reldiff'), { recursive: true });
          writeFileSync(join(repo.dir, '.reldiff', 'acknowledged.json'), '{"version":1,"acknowledged":[]}\n');
        }, () => run()],
        ['one more variable in the environment', () => {}, () => run([], { SOME_CI_VARIABLE: '1' })],
        ['another day (SOURCE_DATE_EPOCH)', () => {}, () => run([], { SOURCE_DATE_EPOCH: '1900000000' })],
        ['another option', () => {}, () => run(['--top', '3'])],
        ['the repository config', () => git(repo.dir, ['config', 'reldiff.test', 'x']), () => run()],
        // A rebuild rewrites reldiff's modules: the change time of one is enough.
        ['reldiff\'s own code', () => utimesSync(join(projectRoot, 'dist', 'report', 'terminal.js'), new Date(), new Date()), () => run()],
      ];
      for (const [what, change, again] of changes) {
        run();
        mark(repo);
        change();
        expect(again(), what).not.toBe(MARKER);
      }
      // The kept entry of the runs above records the registry cache it looked in (empty here): once that folder
      // holds something, its stamp differs.
      run();
      const stamps = readEntry(entryFiles(repo).sort().at(-1) as string).stamps.map(([p]) => p);
      expect(stamps).toEqual(expect.arrayContaining([join(repo.dir, 'reldiff.config.json'), join(repo.dir, '.reldiff', 'acknowledged.json')]));
      // A tag moved to another commit: the same argv, another key.
      mark(repo);
      git(repo.dir, ['tag', '-f', 'v1.5.0', 'v1.5.0~1']);
      const moved = runCli(refs, { cwd: repo.dir });
      expect(moved.stdout).not.toBe(MARKER);
      expect(moved.stdout).toBe(runCli([...refs, '--no-cache'], { cwd: repo.dir }).stdout);
      expect(moved.stdout).not.toBe(expected);
    } finally {
      repo.cleanup();
    }
  }, 180_000);

  it('never replays --no-cache, --output or a run that failed (replay.test.ts: the other refusals); ignores a damaged entry', () => {
    const repo = incident();
    try {
      const refs = ['v1.4.0', 'v1.5.0'];
      const expected = runCli(refs, { cwd: repo.dir }).stdout;
      mark(repo);
      expect(runCli([...refs, '--no-cache'], { cwd: repo.dir }).stdout).toBe(expected);
      const out = join(repo.dir, 'report.md');
      expect(runCli([...refs, '--output', out], { cwd: repo.dir }).code).toBe(0);
      expect(readFileSync(out, 'utf8')).not.toBe(MARKER);
      // An unknown ref is said again every time, and nothing is kept for it.
      const before = entryFiles(repo).length;
      expect(runCli(['v1.4.0', 'no-such-tag'], { cwd: repo.dir }).code).toBe(2);
      expect(runCli(['v1.4.0', 'no-such-tag'], { cwd: repo.dir }).stderr).toMatch(/no-such-tag/);
      expect(entryFiles(repo)).toHaveLength(before);
      for (const [i, f] of entryFiles(repo).entries()) writeFileSync(f, i % 2 === 0 ? '' : '\x1f\x8b garbage');
      const damaged = runCli(refs, { cwd: repo.dir });
      expect(damaged.code, damaged.stderr).toBe(0);
      expect(damaged.stdout).toBe(expected);
      rmSync(replayDir(repo), { recursive: true, force: true });
      expect(runCli(refs, { cwd: repo.dir }).stdout).toBe(expected);
    } finally {
      repo.cleanup();
    }
  }, 120_000);
});
