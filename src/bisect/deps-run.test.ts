import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRepo, git } from '../../test/helpers/build-repo.js';
import type { DepsPlan, Upgrade } from './deps-plan.js';
import { runDepsBisect, type Installer } from './deps-run.js';

// The trial loop over a real repository with the installer replaced: each trial writes its set to a file in the
// worktree, and the check reads it back, so what is asserted is what a check in that worktree saw.

const repo = buildRepo({ commits: [{ message: 'app', tag: 'v1', files: { 'app.txt': 'app\n' } }] });
afterAll(() => repo.cleanup());

function plan(n: number): DepsPlan {
  const units = Array.from({ length: n }, (_, i) => ({ members: [{ name: `p${i}`, from: '1.0.0', to: '2.0.0' }], prior: 1 / n, score: 0, why: [] }));
  return { lockfile: 'package-lock.json', ecosystem: 'npm', units, unmoved: [], runs: { expected: 0, worst: 0, bound: 0, topFirst: 0, plain: 0 } };
}

/** Writes the set into the worktree (the check greps it); `refuse` says which mixes the resolver would not take. */
function fakeInstaller(refuse: (names: string[]) => boolean = () => false): Installer & { seen: string[][] } {
  const seen: string[][] = [];
  return {
    seen,
    async apply(dir: string, _slot: number, upgrades: readonly Upgrade[]) {
      const names = upgrades.map(u => u.name);
      seen.push(names);
      if (refuse(names)) return { ok: false as const, reason: 'ERESOLVE could not resolve' };
      writeFileSync(join(dir, 'installed.txt'), names.map(n => `${n}\n`).join(''));
      return { ok: true as const, env: { TRIAL: String(seen.length) } };
    },
    async dispose() {},
  };
}

const options = (installer: Installer, command: string, n: number, jobs = 1) => ({
  root: repo.dir, fromSha: repo.tags['v1'] ?? '', plan: plan(n), installer, command, jobs, env: { PATH: process.env['PATH'] }, onProgress: () => {},
});

describe('runDepsBisect', () => {
  it('names the one upgrade whose presence fails the check, in fresh worktrees of from that it removes afterwards', async () => {
    const installer = fakeInstaller();
    const outcome = await runDepsBisect(options(installer, 'test -n "$TRIAL" && ! grep -qx p5 installed.txt', 12));
    expect(outcome.culprit).toMatchObject({ name: 'p5', from: '1.0.0', to: '2.0.0', lockfile: 'package-lock.json' });
    expect(outcome.isGroup).toBe(false);
    expect(outcome.runs).toBeLessThanOrEqual(Math.ceil(Math.log2(12)) + 2);
    for (const t of outcome.trials) expect(t.verdict).toBe(t.set.includes('p5@2.0.0') ? 'bad' : 'good');
    expect(existsSync(join(repo.dir, 'installed.txt'))).toBe(false);
    expect(git(repo.dir, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  });

  it('grows the group when the resolver refuses the mixes that would split it, and says why', async () => {
    // p3 cannot go in without p4: every prefix that ends at p3 is refused.
    const installer = fakeInstaller(names => names.includes('p3') && !names.includes('p4'));
    const outcome = await runDepsBisect(options(installer, '! grep -qx p3 installed.txt', 8));
    expect(outcome.isGroup).toBe(true);
    expect(outcome.culprit.members.map(m => m.name)).toEqual(['p3', 'p4']);
    expect(outcome.culprit.why.at(-1)).toMatch(/refused every mix that would split p3, p4/);
    expect(outcome.trials.some(t => t.verdict === 'skip' && t.reason === 'ERESOLVE could not resolve')).toBe(true);
  });

  it('runs trials side by side with --jobs and still names the culprit', async () => {
    const outcome = await runDepsBisect(options(fakeInstaller(), '! grep -qx p9 installed.txt', 16, 3));
    expect(outcome.culprit.name).toBe('p9');
  });

  it('refuses to blame the last upgrade when the check passes with every upgrade applied', async () => {
    await expect(runDepsBisect(options(fakeInstaller(), 'true', 5))).rejects.toThrow(/the check passes with every upgrade of package-lock.json applied/);
  });

  it('refuses to blame the first upgrade when the check fails on from\'s own set too', async () => {
    await expect(runDepsBisect(options(fakeInstaller(), 'false', 5))).rejects.toThrow(/fails on the dependency set of .* too/);
  });
});

describe('runDepsBisect --resume', () => {
  it('reuses the verdicts of an earlier run: an interrupted run resumes where it stopped, without installing those sets again', async () => {
    const command = '! grep -qx p6 installed.txt';
    const first = await runDepsBisect(options(fakeInstaller(), command, 12));
    const cut = first.trials.slice(0, 2);
    const installer = fakeInstaller();
    const resumed = await runDepsBisect({ ...options(installer, command, 12), previous: cut });
    expect(resumed.culprit.name).toBe('p6');
    expect(resumed.trials.map(t => t.set)).toEqual(first.trials.map(t => t.set));
    expect(resumed.trials.filter(t => t.resumed)).toHaveLength(2);
    expect(installer.seen).toHaveLength(first.trials.length - 2);
  });
  it('refuses trials that this plan would never run', async () => {
    const alien = [{ step: 1, units: 1, set: ['left-pad@9.9.9'], verdict: 'bad' as const }];
    await expect(runDepsBisect({ ...options(fakeInstaller(), 'true', 4), previous: alien })).rejects.toThrow(/--resume file has a trial \(left-pad@9.9.9\)/);
  });
});
