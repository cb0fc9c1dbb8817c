import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpText } from '../../src/cli/args.js';
import { depsHelp } from '../../src/cli/commands/deps.js';
import type { Report } from '../../src/report/model.js';
import { incidentHistory } from '../../src/demo/incident.js';
import { buildRepo, git, shallowClone, type BuiltRepo } from '../helpers/build-repo.js';
import { normalizeShas, runCli } from '../helpers/cli.js';
import { reportSchemaErrors } from '../helpers/schema.js';
import { lockV1, lockV3, type Pkg } from '../repos/npm-locks.js';

// End-to-end: the built binary on repositories built by the tests.

let incident: BuiltRepo;
const shaOf = (repo: BuiltRepo, message: string): string => {
  const i = incidentHistory.commits.findIndex(c => c.message === message);
  return repo.shas[i] as string;
};

beforeAll(() => {
  incident = buildRepo(incidentHistory);
});
afterAll(() => incident.cleanup());

describe('reldiff <from> <to> on the incident', () => {
  it('ranks the module-level exception first and validates against the schema', () => {
    const r = runCli(['v1.4.0', 'v1.5.0', '--format', 'json'], { cwd: incident.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.ranking[0]?.file).toBe('service/images.py');
    expect(report.ranking[0]?.language).toBe('python');
    expect(report.ranking[0]?.reasons.join('\n')).toMatch(/module-level-exception-instance/);
    expect(report.findings.map(f => [f.rule, f.file, f.commits])).toContainEqual(
      ['module-level-exception-instance', 'service/images.py', [shaOf(incident, 'Reject unsupported image formats early')]]);
    expect(report.commits.map(c => c.sha)).toEqual(incident.shas.slice(1));
  });

  it('lists exactly the dependency changes, each attributed to the commit that made it', () => {
    const report = JSON.parse(runCli(['v1.4.0', 'v1.5.0', '--format', 'json'], { cwd: incident.dir }).stdout) as Report;
    const express = shaOf(incident, 'dashboard: update express to 4.18.3');
    const pytz = shaOf(incident, 'Bump pytz to 2023.3.post1');
    expect(report.dependencies.map(d => [d.lockfile, d.name, d.from, d.to, d.change, d.direct, d.dev, d.commits])).toEqual([
      ['dashboard/package-lock.json', 'body-parser', '1.20.1', '1.20.2', 'patch', false, false, [express]],
      ['dashboard/package-lock.json', 'express', '4.18.2', '4.18.3', 'patch', true, false, [express]],
      ['dashboard/package-lock.json', 'prettier', '3.1.0', '3.1.1', 'patch', true, true, [express]],
      ['requirements.txt', 'pytz', '2023.3', '2023.3.post1', 'patch', true, false, [pytz]],
    ]);
  });

  it('holds every change exactly once in the ranking', () => {
    const report = JSON.parse(runCli(['v1.4.0', 'v1.5.0', '--format', 'json'], { cwd: incident.dir }).stdout) as Report;
    const ids = report.ranking.map(r => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(report.ranking.filter(r => r.kind === 'dependency')).toHaveLength(report.dependencies.length);
    expect(report.ranking.filter(r => r.kind === 'source').map(r => r.file).sort()).toEqual(
      ['README.md', 'service/app.py', 'service/images.py', 'service/platform/chip_a.py', 'service/platform/chip_b.py']);
    expect(report.ranking.map(r => r.rank)).toEqual(report.ranking.map((_, i) => i + 1));
    expect(report.bisect.testFirst[0]).toBe(shaOf(incident, 'Reject unsupported image formats early'));
  });

  it('renders the golden Markdown', async () => {
    const r = runCli(['v1.4.0', 'v1.5.0', '--format', 'markdown'], { cwd: incident.dir });
    expect(r.code).toBe(0);
    const names = Object.fromEntries(incident.shas.map((sha, i) => [`c${i}`, sha]));
    await expect(normalizeShas(r.stdout, names)).toMatchFileSnapshot('../golden/incident.md');
  });

  it('is byte-for-byte deterministic', () => {
    const a = runCli(['v1.4.0', 'v1.5.0', '--format', 'json'], { cwd: incident.dir });
    const b = runCli(['v1.4.0', 'v1.5.0', '--format', 'json'], { cwd: incident.dir });
    expect(a.stdout).toBe(b.stdout);
  });

  it('defaults from to the newest tag not on HEAD, and to to HEAD', () => {
    const r = runCli(['--format', 'json'], { cwd: incident.dir });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.from).toEqual({ ref: 'v1.4.0', commit: incident.tags['v1.4.0'] });
    expect(report.to).toEqual({ ref: 'HEAD', commit: incident.tags['v1.5.0'] });
  });

  it('works from a subfolder and with --repo', () => {
    const sub = runCli(['v1.4.0', 'v1.5.0', '--format', 'json'], { cwd: join(incident.dir, 'service/platform') });
    const flag = runCli(['v1.4.0', 'v1.5.0', '--format', 'json', '--repo', incident.dir], { cwd: '/' });
    expect(sub.code).toBe(0);
    expect(flag.stdout).toBe(sub.stdout);
  });

  it('ignores the user\'s editor, pager and GIT_* variables', () => {
    const env = { EDITOR: 'vim', PAGER: 'less', GIT_PAGER: 'less', GIT_DIR: '/nonexistent', GIT_ASKPASS: '/bin/false', SSH_ASKPASS: '/bin/false' };
    const r = runCli(['v1.4.0', 'v1.5.0', '--format', 'json'], { cwd: incident.dir, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('resolves rev expressions', () => {
    const r = runCli(['v1.5.0~3', 'v1.5.0^', '--format', 'json'], { cwd: incident.dir });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.commits.map(c => c.subject)).toEqual(['chip A: record inference latency', 'docs: describe the two platforms']);
  });
});

describe('--evidence', () => {
  it('raises the change a tracemalloc comparison points at, quoting it, and says when nothing matched', () => {
    const file = join(incident.dir, '..', `evidence-${process.pid}.txt`);
    writeFileSync(file, '/srv/app/service/platform/chip_a.py:14: size=52.3 MiB (+51.2 MiB), count=120034 (+120000), average=457 B\n');
    const before = JSON.parse(runCli(['v1.4.0', 'v1.5.0', '--format', 'json'], { cwd: incident.dir }).stdout) as Report;
    const after = JSON.parse(runCli(['v1.4.0', 'v1.5.0', '--format', 'json', '--evidence', file], { cwd: incident.dir }).stdout) as Report;
    const rankOf = (r: Report): number => r.ranking.find(i => i.file === 'service/platform/chip_a.py')?.rank ?? 0;
    expect(rankOf(after)).toBeLessThan(rankOf(before));
    expect(rankOf(after)).toBe(1);
    expect(after.ranking.find(i => i.file === 'service/platform/chip_a.py')?.reasons[0]).toMatch(/runtime evidence \(tracemalloc\).*chip_a\.py:14/);
    writeFileSync(file, '/usr/lib/python3/json/decoder.py:353: size=1.2 MiB (+1.2 MiB), count=10 (+10), average=120 KiB\n');
    const none = JSON.parse(runCli(['v1.4.0', 'v1.5.0', '--format', 'json', '--evidence', file], { cwd: incident.dir }).stdout) as Report;
    expect(none.warnings.join('\n')).toMatch(/nothing in it matched the diff/);
    expect(none.ranking.map(i => i.id)).toEqual(before.ranking.map(i => i.id));
  });
});

describe('config file and acknowledgements', () => {
  it('reads reldiff.config.json, says every problem with its path, and lets a reviewed risk pass the gate', () => {
    const repo = buildRepo({ ...incidentHistory, commits: incidentHistory.commits.map(c => ({ ...c, files: { ...c.files } })) });
    try {
      writeFileSync(join(repo.dir, 'reldiff.config.json'), '{ "failOn": "high", "ignore": { "packages": ["prettier"], "paths": ["README.md"] }, "rules": { "module-level-exception-instance": "critical" } }\n');
      const configured = runCli(['v1.4.0', 'v1.5.0', '--format', 'json'], { cwd: repo.dir });
      expect(configured.code).toBe(1);
      const report = JSON.parse(configured.stdout) as Report;
      expect(report.dependencies.map(d => d.name)).not.toContain('prettier');
      expect(report.ranking.map(r => r.file)).not.toContain('README.md');
      expect(report.findings.find(f => f.rule === 'module-level-exception-instance')?.severity).toBe('critical');

      const top = report.ranking[0];
      const ack = runCli(['ack', top?.id ?? '', '--reason', 'reviewed: bounded by the gateway'], { cwd: repo.dir });
      expect(ack.code).toBe(0);
      const after = runCli(['v1.4.0', 'v1.5.0', '--format', 'json'], { cwd: repo.dir });
      expect(after.code).toBe(0);
      expect((JSON.parse(after.stdout) as Report).ranking[0]?.acknowledged).toEqual({ reason: 'reviewed: bounded by the gateway' });

      // The acknowledgement covers that change only: a later edit of the same file is a new item that trips the gate.
      writeFileSync(join(repo.dir, 'service/images.py'), `${incidentHistory.commits[3]?.files['service/images.py'] ?? ''}\nSEEN = {}\n`);
      git(repo.dir, ['commit', '-qam', 'more state']);
      git(repo.dir, ['tag', 'v1.5.1']);
      const edited = runCli(['v1.4.0', 'v1.5.1', '--format', 'json'], { cwd: repo.dir });
      expect(edited.code).toBe(1);
      expect((JSON.parse(edited.stdout) as Report).ranking.find(r => r.file === 'service/images.py')?.acknowledged).toBeUndefined();

      writeFileSync(join(repo.dir, 'reldiff.config.json'), '{ "failon": "high", "ignore": { "packages": "prettier" }, "levels": { "high": 2 } }\n');
      const bad = runCli(['v1.4.0', 'v1.5.0'], { cwd: repo.dir });
      expect(bad.code).toBe(2);
      expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(bad.stderr).toMatch(/reldiff\.config\.json has 3 problems: .*failon.*did you mean "failOn".*ignore\.packages: expected array.*levels\.high/);
    } finally {
      repo.cleanup();
    }
  });
});

describe('exit codes', () => {
  it('exits 1 when --fail-on is reached, 0 below it, 0 with --warn-only', () => {
    const gated = runCli(['v1.4.0', 'v1.5.0', '--fail-on', 'high', '--format', 'json', '--output', join(incident.dir, '..', `gate-${process.pid}.json`)], { cwd: incident.dir });
    expect(gated.code).toBe(1);
    expect(gated.stderr).toMatch(/^reldiff: 1 change at --fail-on high or above, first: service\/images\.py \(high\)\. .*reldiff ack src:service\/images\.py@[0-9a-f]{12}/);
    expect(runCli(['v1.4.0', 'v1.5.0', '--fail-on', 'critical'], { cwd: incident.dir }).code).toBe(0);
    expect(runCli(['v1.4.0', 'v1.5.0', '--fail-on', 'high', '--warn-only'], { cwd: incident.dir }).code).toBe(0);
    expect(runCli(['v1.4.0', 'v1.5.0', '--fail-on', 'none'], { cwd: incident.dir }).code).toBe(0);
  });

  it.each([
    [['v1.4.0', 'v9.9.9'], /^reldiff: ref 'v9\.9\.9' does not resolve to a commit\. .*git tag/],
    [['--', '--upload-pack=touch /tmp/x', 'v1.5.0'], /^reldiff: '--upload-pack=touch \/tmp\/x' is not a git ref\./],
    [['-x'], /^reldiff: unknown option '-x'\. See reldiff --help/],
    [['v1.4.0', '--formt', 'json'], /^reldiff: unknown option '--formt'; did you mean --format\? See reldiff --help/],
    [['-v1.0.0', 'v1.5.0'], /^reldiff: '-v1\.0\.0' is neither an option nor a ref \(refs cannot start with "-"\)/],
    [['v1.4.0', 'v1.5.0', '--format', 'yaml'], /^reldiff: unknown --format 'yaml'\. Use one of/],
    [['v1.4.0', 'v1.5.0', '--fail-on', 'severe'], /^reldiff: unknown --fail-on level 'severe'/],
    [['a', 'b', 'c'], /^reldiff: too many refs/],
    [['v1.5.0', 'v1.4.0'], /^reldiff: v1\.5\.0 is newer than v1\.4\.0: the refs look swapped\. Put the older ref first: reldiff v1\.4\.0 v1\.5\.0/],
  ])('exits 2 with one line for %j', (args, message) => {
    const r = runCli(args, { cwd: incident.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('exits 2 outside a repository', () => {
    const r = runCli([], { cwd: '/' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not inside a git repository\. .*--repo/);
  });

  it('prints exactly the help text and the version', () => {
    expect(runCli(['--help'], { cwd: '/' }).stdout).toBe(helpText);
    expect(runCli(['deps', '--help'], { cwd: '/' }).stdout).toBe(depsHelp);
    expect(depsHelp).toMatch(/^Usage: reldiff deps <before> <after>/);
    expect(runCli(['--version'], { cwd: '/' }).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('history edge cases', () => {
  it('refuses a shallow clone that lacks <from>, with the fix', () => {
    const clone = shallowClone(incident.dir, 2);
    try {
      git(clone.dir, ['fetch', '-q', '--depth=1', 'origin', 'refs/tags/v1.5.0:refs/tags/v1.5.0']);
      const missing = runCli(['v1.4.0', 'v1.5.0'], { cwd: clone.dir });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/git fetch --unshallow --tags.*fetch-depth: 0/);
      git(clone.dir, ['fetch', '-q', '--depth=1', 'origin', 'refs/tags/v1.4.0:refs/tags/v1.4.0']);
      const cut = runCli(['v1.4.0', 'v1.5.0'], { cwd: clone.dir });
      expect(cut.code).toBe(2);
      expect(cut.stderr).toMatch(/history between the two refs is missing.*fetch --unshallow/);
    } finally {
      clone.cleanup();
    }
  });

  it('reads renames, binary files, odd names and lockfiles added or deleted between the refs', () => {
    const pkgs: Pkg[] = [{ name: 'left-pad', version: '1.3.0' }];
    const repo = buildRepo({ commits: [
      { message: 'start', tag: 'v1', files: { 'src/old name.js': 'module.exports = 1;\n'.repeat(20), 'logo.png': '\x89PNG\0\x01',
        'legacy/package-lock.json': lockV3(pkgs, ['left-pad']) } },
      { message: 'rename and tidy', files: { 'src/old name.js': null, 'src/new "name" ü.js': `${'module.exports = 1;\n'.repeat(20)}// x\n`,
        'logo.png': '\x89PNG\0\x02' } },
      { message: 'drop legacy, add web', tag: 'v2', files: { 'legacy/package-lock.json': null,
        'web/package-lock.json': lockV3([{ name: 'ms', version: '2.1.3' }], ['ms']) } },
    ] });
    try {
      const r = runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir });
      expect(r.stderr).toBe('');
      const report = JSON.parse(r.stdout) as Report;
      expect(reportSchemaErrors(report)).toEqual([]);
      expect(report.dependencies.map(d => [d.lockfile, d.name, d.change, d.commits])).toEqual([
        ['legacy/package-lock.json', 'left-pad', 'removed', [repo.shas[2]]],
        ['web/package-lock.json', 'ms', 'added', [repo.shas[2]]],
      ]);
      const titles = report.ranking.filter(i => i.kind === 'source').map(i => i.title).sort();
      expect(titles).toEqual(['logo.png', 'src/old name.js -> src/new "name" ü.js']);
      const md = runCli(['v1', 'v2', '--format', 'markdown'], { cwd: repo.dir });
      expect(md.stdout).toContain('`src/old name.js -> src/new "name" ü.js`');
    } finally {
      repo.cleanup();
    }
  });

  it('flags a diff that only deletes cleanup code', () => {
    const before = 'export function watch(emitter, onData) {\n  const timer = setInterval(poll, 1000);\n  emitter.on("data", onData);\n  return () => {\n    clearInterval(timer);\n    emitter.off("data", onData);\n  };\n}\nfunction poll() {}\n';
    const repo = buildRepo({ commits: [
      { message: 'watch with cleanup', tag: 'v1', files: { 'src/watch.js': before } },
      { message: 'simplify watch', tag: 'v2', files: { 'src/watch.js': before.replace('    clearInterval(timer);\n', '') } },
    ] });
    try {
      const report = JSON.parse(runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir }).stdout) as Report;
      expect(report.findings.map(f => [f.rule, f.file, f.commits])).toContainEqual(['removed-cleanup', 'src/watch.js', [repo.shas[1]]]);
    } finally {
      repo.cleanup();
    }
  });

  it('keeps a huge diff whole in its counts and says that its text was cut', () => {
    const repo = buildRepo({ commits: [
      { message: 'start', tag: 'v1', files: { 'data/generated.js': 'export const a = 1;\n' } },
      { message: 'regenerate', tag: 'v2', files: { 'data/generated.js': Array.from({ length: 25_000 }, (_, i) => `export const a${i} = ${i};`).join('\n') } },
    ] });
    try {
      const r = runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir });
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as Report;
      expect(report.ranking[0]?.reasons).toContain('25000 lines added, 1 removed');
      expect(report.warnings.join('\n')).toMatch(/1 file changed by more than 20000 lines: .*data\/generated\.js/);
    } finally {
      repo.cleanup();
    }
  });

  it('sees no change when a lockfile is rewritten from v1 to v3 with the same packages', () => {
    const pkgs: Pkg[] = [{ name: 'debug', version: '4.3.4', deps: { ms: '2.1.2' } }, { name: 'ms', version: '2.1.2' }];
    const repo = buildRepo({ commits: [
      { message: 'v1 lock', tag: 'v1', files: { 'package-lock.json': lockV1(pkgs) } },
      { message: 'npm 9 rewrote the lockfile', tag: 'v2', files: { 'package-lock.json': lockV3(pkgs, ['debug']) } },
    ] });
    try {
      const report = JSON.parse(runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir }).stdout) as Report;
      expect(report.dependencies).toEqual([]);
    } finally {
      repo.cleanup();
    }
  });

  it('pairs a lockfile that changes format with the one that replaces it: only real version changes', () => {
    const pkgs: Pkg[] = [{ name: 'debug', version: '4.3.4', deps: { ms: '2.1.2' } }, { name: 'ms', version: '2.1.2' }];
    const pipfile = (flask: string) => JSON.stringify({ _meta: { 'pipfile-spec': 6, hash: { sha256: 'x' }, requires: {}, sources: [] },
      default: { flask: { version: `==${flask}` }, zstandard: { version: '==0.23.0' } }, develop: {} }, null, 2);
    const requirements = 'flask==3.1.0\nzstandard==0.23.0\n';
    const repo = buildRepo({ commits: [
      { message: 'start', tag: 'v1', files: { 'package-lock.json': lockV3(pkgs, ['debug']), 'Pipfile.lock': pipfile('3.0.0') } },
      { message: 'move to requirements.txt', files: { 'Pipfile.lock': null, 'requirements.txt': requirements } },
      { message: 'bump ms while moving to yarn', tag: 'v2', files: { 'package-lock.json': null,
        'yarn.lock': '# yarn lockfile v1\n\ndebug@^4.3.4:\n  version "4.3.4"\n  dependencies:\n    ms "2.1.3"\n\nms@2.1.3:\n  version "2.1.3"\n' } },
    ] });
    try {
      const report = JSON.parse(runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir }).stdout) as Report;
      expect(report.dependencies.map(d => [d.lockfile, d.name, d.from, d.to])).toEqual([
        ['requirements.txt', 'flask', '3.0.0', '3.1.0'], ['yarn.lock', 'ms', '2.1.2', '2.1.3'],
      ]);
      expect(report.warnings).toEqual(expect.arrayContaining([
        'Pipfile.lock was replaced by requirements.txt: compared as one dependency set, so only real version changes are listed',
        'package-lock.json was replaced by yarn.lock: compared as one dependency set, so only real version changes are listed',
      ]));
    } finally {
      repo.cleanup();
    }
  });

  it('reads the pip-tools layout (requirements/*.txt) and attributes its changes', () => {
    const repo = buildRepo({ commits: [
      { message: 'start', tag: 'v1', files: { 'requirements/base.in': 'celery\n', 'requirements/default.txt': 'celery==5.3.6\nkombu==5.3.4\n', 'app.py': 'x = 1\n' } },
      { message: 'bump kombu', tag: 'v2', files: { 'requirements/default.txt': 'celery==5.3.6\nkombu==5.3.5\n', 'requirements/base.in': 'celery>=5\n' } },
    ] });
    try {
      const report = JSON.parse(runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir }).stdout) as Report;
      expect(report.dependencies.map(d => [d.lockfile, d.name, d.from, d.to, d.commits])).toEqual([['requirements/default.txt', 'kombu', '5.3.4', '5.3.5', [repo.shas[1]]]]);
    } finally {
      repo.cleanup();
    }
  });

  it('warns about a changed .txt that reads like requirements, and reads it once the config includes it', () => {
    const repo = buildRepo({ commits: [
      { message: 'start', tag: 'v1', files: { 'deps/runtime.txt': 'celery==5.3.6 \\\n    --hash=sha256:aa\nkombu==5.3.4\n', 'notes.txt': 'kombu is pinned\n' } },
      { message: 'bump kombu', tag: 'v2', files: { 'deps/runtime.txt': 'celery==5.3.6 \\\n    --hash=sha256:aa\nkombu==5.3.5\n', 'notes.txt': 'kombu moved\n' } },
      { message: 'config', tag: 'v3', files: { 'reldiff.config.json': JSON.stringify({ lockfiles: { include: ['deps/*.txt'] } }) } },
    ] });
    try {
      git(repo.dir, ['checkout', '-q', 'v2']);
      const before = JSON.parse(runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir }).stdout) as Report;
      expect(before.dependencies).toEqual([]);
      expect(before.warnings).toContain('deps/runtime.txt looks like requirements but was not read as dependencies: add it to "lockfiles": { "include": [...] } in reldiff.config.json');
      git(repo.dir, ['checkout', '-q', 'v3']);
      const after = JSON.parse(runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir }).stdout) as Report;
      expect(after.dependencies.map(d => [d.lockfile, d.name, d.from, d.to])).toEqual([['deps/runtime.txt', 'kombu', '5.3.4', '5.3.5']]);
      expect(after.warnings.filter(w => w.includes('looks like requirements'))).toEqual([]);
    } finally {
      repo.cleanup();
    }
  });

  it('follows -r/-c includes of requirements files inside the same ref', () => {
    const repo = buildRepo({ commits: [
      { message: 'start', tag: 'v1', files: { 'requirements.txt': '-r base.txt\nflask==3.0.0\n', 'base.txt': 'pytz==2023.3\n' } },
      { message: 'bump pytz in base', tag: 'v2', files: { 'base.txt': 'pytz==2024.1\n' } },
    ] });
    try {
      const report = JSON.parse(runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir }).stdout) as Report;
      expect(report.dependencies.map(d => [d.lockfile, d.name, d.from, d.to, d.commits])).toEqual([['requirements.txt', 'pytz', '2023.3', '2024.1', [repo.shas[1]]]]);
    } finally {
      repo.cleanup();
    }
  });

  it('exits 2 naming the file and line for a lockfile broken at <to>, and warns for one broken only at <from>', () => {
    const lock = (v: string): string => lockV3([{ name: 'ms', version: v }], ['ms']);
    const repo = buildRepo({ commits: [
      { message: 'start', tag: 'v1', files: { 'a/package-lock.json': lock('2.1.2'), 'b/package-lock.json': lock('2.1.2') } },
      { message: 'bad merge', tag: 'v2', files: { 'a/package-lock.json': '{\n  "lockfileVersion": 3,\n<<<<<<< HEAD\n  "packages": {}\n=======\n>>>>>>> x\n}\n' } },
      { message: 'b upgrade', tag: 'v3', files: { 'b/package-lock.json': lock('2.1.3') } },
      { message: 'b broken', tag: 'v4', files: { 'b/package-lock.json': '{ "lockfileVersion": 3, "packages": {\n' } },
      { message: 'repair both', tag: 'v5', files: { 'a/package-lock.json': lock('2.1.4'), 'b/package-lock.json': lock('2.1.3') } },
    ] });
    try {
      const conflict = runCli(['v1', 'v2'], { cwd: repo.dir });
      expect(conflict.code).toBe(2);
      expect(conflict.stderr).toMatch(/^reldiff: a\/package-lock\.json:3 has merge-conflict markers \(at [0-9a-f]{10}\)\. Resolve the conflict/);
      const broken = runCli(['v3', 'v4', '--format', 'json'], { cwd: repo.dir });
      expect(broken.code).toBe(2);
      expect(broken.stdout).toBe('');
      expect(broken.stderr).toMatch(/^reldiff: b\/package-lock\.json(:\d+)? \(npm-lock\) is not valid JSON/);
      const repaired = runCli(['v2', 'v5', '--format', 'json'], { cwd: repo.dir });
      expect(repaired.code).toBe(0);
      const report = JSON.parse(repaired.stdout) as Report;
      expect(report.dependencies.map(d => [d.lockfile, d.name, d.from, d.to, d.commits])).toEqual([['b/package-lock.json', 'ms', '2.1.2', '2.1.3', [repo.shas[2]]]]);
      expect(report.warnings.join('\n')).toMatch(/a\/package-lock\.json:3 has merge-conflict markers at [0-9a-f]{10}; its dependency changes are left out/);
    } finally {
      repo.cleanup();
    }
  });
});

describe('escaping of repository values', () => {
  it('keeps hostile subjects, paths and package names from injecting Markdown, HTML, links or mentions', () => {
    const evil = '<script>alert(1)</script> [click](https://evil.example) @octocat #1 ![x](http://t/x.png) | cell';
    const repo = buildRepo({ commits: [
      { message: 'start', tag: 'v1', files: { 'package-lock.json': lockV3([], []) } },
      { message: evil, tag: 'v2', files: { 'src/<img src=x onerror=alert(1)>.js': 'window.x = [];\n',
        'package-lock.json': lockV3([{ name: '@evil/<b>pkg</b>', version: '1.0.0' }], ['@evil/<b>pkg</b>']) } },
    ] });
    try {
      const md = runCli(['v1', 'v2', '--format', 'markdown'], { cwd: repo.dir }).stdout;
      // Inside a code span nothing is markup; everywhere else no tag, link, image or mention may survive. A `#1`
      // reference is GitHub's own cross-link, not an injection: it stays as written so that it still links (issue 18).
      const prose = md.replace(/(`+)[^`].*?\1/g, '');
      expect(prose).not.toMatch(/<script|<img|<b>|\]\(https?:|@octocat/);
      expect(prose).toMatch(/ #1 /);
      expect(md).toContain('&lt;script&gt;alert\\(1\\)&lt;/script&gt;');
      for (const line of md.split('\n').filter(l => l.startsWith('| ') && !l.startsWith('|---'))) {
        const cells = line.replace(/\\\|/g, '').split('|').length;
        expect(cells).toBeGreaterThanOrEqual(7);
        expect(cells).toBeLessThanOrEqual(8);
      }
      const term = runCli(['v1', 'v2'], { cwd: repo.dir, env: { FORCE_COLOR: '0' } }).stdout;
      expect(term).not.toContain('\x1b');
    } finally {
      repo.cleanup();
    }
  });

  it('strips terminal escape sequences that a commit subject carries', () => {
    const repo = buildRepo({ commits: [
      { message: 'start', tag: 'v1', files: { 'a.js': '1\n' } },
      { message: 'innocent \x1b[2J\x1b]0;pwned\x07 subject', tag: 'v2', files: { 'a.js': '2\n' } },
    ] });
    try {
      const out = runCli(['v1', 'v2'], { cwd: repo.dir }).stdout;
      expect(out).toContain('innocent');
      expect(out).not.toMatch(/[\x1b\x07]/);
    } finally {
      repo.cleanup();
    }
  });
});

describe('reldiff deps', () => {
  it('compares two files directly with the same JSON report', () => {
    const dir = buildRepo({ commits: [{ message: 'x', files: {} }] });
    try {
      mkdirSync(join(dir.dir, 'old'));
      writeFileSync(join(dir.dir, 'old/package-lock.json'), lockV3([{ name: 'ms', version: '2.1.2' }, { name: 'sharp', version: '0.32.6', script: true }], ['sharp']));
      writeFileSync(join(dir.dir, 'image-b.json'), lockV3([{ name: 'ms', version: '2.1.3' }, { name: 'sharp', version: '0.33.1', script: true }], ['sharp']));
      const r = runCli(['deps', 'old/package-lock.json', 'image-b.json', '--format', 'json'], { cwd: dir.dir });
      expect(r.stderr).toBe('');
      const report = JSON.parse(r.stdout) as Report;
      expect(reportSchemaErrors(report)).toEqual([]);
      expect(report.dependencies.map(d => [d.name, d.from, d.to, d.change])).toEqual([['ms', '2.1.2', '2.1.3', 'patch'], ['sharp', '0.32.6', '0.33.1', 'minor']]);
      expect(report.ranking[0]?.dependency?.name).toBe('sharp');
      const missing = runCli(['deps', 'nope.json', 'image-b.json'], { cwd: dir.dir });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^reldiff: cannot read nope\.json \(ENOENT\)\. Check the path/);
    } finally {
      dir.cleanup();
    }
  });
});
