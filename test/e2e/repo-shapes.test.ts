import { rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRepo, git, gitEnv, type BuiltRepo } from '../helpers/build-repo.js';
import { runCli } from '../helpers/cli.js';
import type { Report } from '../../src/report/model.js';

// Repository shapes that once gave a wrong answer or a crash (issue 12, items 12, 13, 14 and 18; issue 18, item 4):
// attributes that hide text, path names with a newline, symlinked lockfiles, objects missing from the store,
// Git LFS pointers, and git's own rev expressions.

const LEAKY = 'class ImageFormatError(Exception):\n    pass\n\nIMAGE_FORMAT_ERROR = ImageFormatError("bad image")\n\n\n'
  + 'def decode(data):\n    if not data:\n        raise IMAGE_FORMAT_ERROR\n    return data\n';

function json(r: { code: number; stdout: string; stderr: string }): Report {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

function withRepo(repo: BuiltRepo, body: () => void): void {
  try { body(); } finally { repo.cleanup(); }
}

/** Commits the working tree as it is (for what buildRepo cannot write: symlinks) and tags it. */
function commitAll(repo: BuiltRepo, message: string, tag: string): string {
  const env = gitEnv(repo.shas.length + 1);
  git(repo.dir, ['add', '-A'], env);
  git(repo.dir, ['commit', '-q', '-m', message], env);
  git(repo.dir, ['tag', tag], env);
  return git(repo.dir, ['rev-parse', 'HEAD'], env).trim();
}

/** Deletes a blob's loose object, as a damaged mirror or a filtered clone lacks it. */
function dropBlob(repo: BuiltRepo, spec: string): string {
  const id = git(repo.dir, ['rev-parse', spec]).trim();
  rmSync(join(repo.dir, '.git/objects', id.slice(0, 2), id.slice(2)));
  return id;
}

describe('text is told by content, not by attributes or diff drivers (issue 12, item 12)', () => {
  it('runs the rules on Python files that .gitattributes marks -diff or gives a binary textconv driver', () => {
    const repo = buildRepo({ commits: [
      { message: 'base', tag: 'v1', files: { 'README.md': '# svc\n', 'logo.png': '\x89PNG\0\x01' } },
      { message: 'leak', tag: 'v2', files: { '.gitattributes': '*.py -diff\nsvc/*.py diff=hide\n', 'a.py': LEAKY, 'svc/b.py': LEAKY,
        'logo.png': '\x89PNG\0\x02' } },
    ] });
    withRepo(repo, () => {
      git(repo.dir, ['config', 'diff.hide.textconv', 'echo hidden']);
      git(repo.dir, ['config', 'diff.hide.binary', 'true']);
      git(repo.dir, ['config', 'diff.external', 'false']);
      const report = json(runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir }));
      expect(report.findings.map(f => [f.file, f.rule]).sort()).toEqual([
        ['a.py', 'module-level-exception-instance'], ['svc/b.py', 'module-level-exception-instance']]);
      const sources = report.ranking.filter(i => i.kind === 'source').map(i => i.title).sort();
      expect(sources).toEqual(['.gitattributes', 'a.py', 'logo.png', 'svc/b.py']);
      expect(report.warnings).toEqual([]);
    });
  });
});

describe('path names with a newline (issue 12, item 13)', () => {
  it('checks a source file and reads a requirements file whose path holds a newline', () => {
    const repo = buildRepo({ commits: [
      { message: 'base', tag: 'v1', files: { 'x\ny/requirements.txt': 'flask==1.0.0\n', 'README.md': '# svc\n' } },
      { message: 'bump and leak', tag: 'v2', files: { 'x\ny/requirements.txt': 'flask==2.0.0\n', 'nl\nname.py': LEAKY } },
    ] });
    withRepo(repo, () => {
      const report = json(runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir }));
      expect(report.findings.map(f => [f.file, f.rule])).toEqual([['nl\nname.py', 'module-level-exception-instance']]);
      expect(report.dependencies.map(d => [d.lockfile, d.name, d.from, d.to])).toEqual([['x\ny/requirements.txt', 'flask', '1.0.0', '2.0.0']]);
    });
  });
});

describe('symlinks are neither lockfiles nor source (issue 12, item 14)', () => {
  it('skips a symlinked requirements.txt and package-lock.json with a warning naming each, instead of reading the link text', () => {
    const repo = buildRepo({ commits: [
      { message: 'base', tag: 'v1', files: { 'README.md': '# svc\n', 'web/package-lock.json': '{}\n', 'api/requirements.txt': 'flask==1.0.0\n' } },
    ] });
    withRepo(repo, () => {
      symlinkSync('../../etc/shadow', join(repo.dir, 'requirements.txt'));
      unlinkSync(join(repo.dir, 'web/package-lock.json'));
      symlinkSync('../etc/passwd', join(repo.dir, 'web/package-lock.json'));
      symlinkSync('../../etc/hosts', join(repo.dir, 'link.py'));
      commitAll(repo, 'links', 'v2');
      const report = json(runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir }));
      expect(report.dependencies).toEqual([]);
      expect(report.findings).toEqual([]);
      expect(report.warnings).toEqual([
        'requirements.txt is a symbolic link (to ../../etc/shadow), not a lockfile: skipped',
        'web/package-lock.json is a symbolic link (to ../etc/passwd), not a lockfile: skipped',
      ]);
      const md = runCli(['v1', 'v2'], { cwd: repo.dir });
      expect(md.stdout).not.toContain('etc/shadow ');
    });
  });
});

describe('a submodule bump (hostile trial #37)', () => {
  it('is ranked as a submodule that moved, with a warning naming both commits, never as "1 line added, 1 removed"', () => {
    const repo = buildRepo({ commits: [{ message: 'base', tag: 'v1', files: { 'app.py': 'x = 1\n' } }] });
    withRepo(repo, () => {
      // Gitlinks written straight into the index: the submodule's commits need not exist here, as in a clone
      // whose submodules were never fetched.
      const from = '1'.repeat(40);
      const to = '2'.repeat(40);
      const commitIndex = (message: string, tag: string, n: number): void => {
        git(repo.dir, ['commit', '-q', '-m', message], gitEnv(n));
        git(repo.dir, ['tag', tag]);
      };
      git(repo.dir, ['update-index', '--add', '--cacheinfo', `160000,${from},vendor/lib`]);
      commitIndex('add lib', 'v2', 2);
      git(repo.dir, ['update-index', '--cacheinfo', `160000,${to},vendor/lib`]);
      commitIndex('bump lib', 'v3', 3);
      const report = json(runCli(['v2', 'v3', '--format', 'json'], { cwd: repo.dir }));
      const item = report.ranking.find(i => i.title === 'vendor/lib');
      expect(item?.reasons).toEqual(['submodule moved 1111111111..2222222222: the code inside it was not analysed']);
      expect(item?.score).toBeGreaterThan(0.1);
      expect(report.warnings).toEqual([
        'vendor/lib is a submodule that moved 111111111111..222222222222: the code inside it was not analysed (run reldiff 111111111111 222222222222 in a clone of it)']);
      const added = json(runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir }));
      expect(added.warnings).toEqual(['vendor/lib is a submodule added at 111111111111: the code inside it was not analysed']);
    });
  });
});

describe('an object missing from the store (issue 18, item 4)', () => {
  const history = () => buildRepo({ commits: [
    { message: 'base', tag: 'v1', files: { 'a.py': 'x = 1\n', 'b.py': 'y = 1\n', 'requirements.txt': 'flask==1.0.0\n' } },
    { message: 'change', tag: 'v2', files: { 'a.py': LEAKY, 'b.py': 'y = 2\n', 'c.py': `${LEAKY}# c\n`, 'requirements.txt': 'flask==2.0.0\n' } },
  ] });

  it('skips a source file whose blob is missing, with a warning naming its path and the ref, and checks the rest', () => {
    const repo = history();
    withRepo(repo, () => {
      const id = dropBlob(repo, 'v2:c.py');
      const report = json(runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir }));
      expect(report.findings.map(f => f.file)).toEqual(['a.py']);
      expect(report.dependencies.map(d => [d.name, d.to])).toEqual([['flask', '2.0.0']]);
      expect(report.warnings.filter(w => w.includes('object store'))).toEqual([`c.py at v2 (blob ${id.slice(0, 12)}) is missing from this clone's object store: skipped. Restore it with \`git fetch --refetch origin\`; \`git cat-file -e ${id}\` says when it is back`]);
    });
  });

  it('exits 2 naming a lockfile missing at <to> and how to fetch it', () => {
    const repo = history();
    withRepo(repo, () => {
      const id = dropBlob(repo, 'v2:requirements.txt');
      const r = runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`reldiff: the lockfile requirements.txt at v2 (blob ${id.slice(0, 12)}) is missing from this clone's object store, so its dependency changes cannot be read. Restore it with \`git fetch --refetch origin\`; \`git cat-file -e ${id}\` says when it is back\n`);
    });
  });

  it('warns about a lockfile missing only at <from> and leaves its changes out', () => {
    const repo = history();
    withRepo(repo, () => {
      const id = dropBlob(repo, 'v1:requirements.txt');
      const report = json(runCli(['v1', 'v2', '--format', 'json'], { cwd: repo.dir }));
      expect(report.dependencies).toEqual([]);
      expect(report.findings.map(f => f.file)).toEqual(['a.py', 'c.py']);
      expect(report.warnings).toEqual([`requirements.txt at v1 (blob ${id.slice(0, 12)}) is missing from this clone's object store: its dependency changes are left out. Restore it with \`git fetch --refetch origin\`; \`git cat-file -e ${id}\` says when it is back`]);
    });
  });
});

describe('say what is really wrong (issue 12, item 18)', () => {
  const POINTER = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n';

  it('names a lockfile stored as a Git LFS pointer', () => {
    const repo = buildRepo({ commits: [
      { message: 'base', tag: 'v1', files: { 'requirements.txt': 'flask==1.0.0\n', 'web/package-lock.json': POINTER } },
      { message: 'lfs', tag: 'v2', files: { 'requirements.txt': POINTER, 'web/package-lock.json': `${POINTER}\n` } },
    ] });
    withRepo(repo, () => {
      const r = runCli(['v1', 'v2'], { cwd: repo.dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^reldiff: requirements.txt at v2: this lockfile is a Git LFS pointer, not the lockfile itself\. Run `git lfs pull`/);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  });

  it('names an LFS pointer given to reldiff deps, where `git lfs pull` is the fix', () => {
    const repo = buildRepo({ commits: [{ message: 'base', tag: 'v1', files: { 'old.txt': 'flask==1.0.0\n', 'requirements.txt': POINTER } }] });
    withRepo(repo, () => {
      const r = runCli(['deps', 'old.txt', 'requirements.txt'], { cwd: repo.dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('reldiff: requirements.txt: this lockfile is a Git LFS pointer, not the lockfile itself. Run `git lfs pull` to put the real file in its place, then run reldiff deps again\n');
    });
  });

  it('accepts git\'s own expressions such as :/base as refs, and still refuses option-like ones', () => {
    const repo = buildRepo({ commits: [
      { message: 'base of it all', tag: 'v1', files: { 'a.py': 'x = 1\n' } },
      { message: 'fix the leak', files: { 'a.py': 'x = 2\n' } },
      { message: 'later', tag: 'v2', files: { 'a.py': 'x = 3\n' } },
    ] });
    withRepo(repo, () => {
      const report = json(runCli([':/base', ':/fix the leak', '--format', 'json'], { cwd: repo.dir }));
      expect([report.from.commit, report.to.commit]).toEqual([repo.shas[0], repo.shas[1]]);
      expect(json(runCli(['HEAD@{0}~2', 'HEAD', '--format', 'json'], { cwd: repo.dir })).from.commit).toBe(repo.shas[0]);
      const dash = runCli(['--', '-v1', 'v2'], { cwd: repo.dir });
      expect(dash.code).toBe(2);
      expect(dash.stderr).toMatch(/^reldiff: '-v1' is not a git ref/);
    });
  });
});
