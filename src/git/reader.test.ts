import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRepo, git, gitEnv, type BuiltRepo } from '../demo/build-repo.js';
import { GitRepoReader, validateRef } from './reader.js';

// The git layer against a real repository with a merged branch.

let repo: BuiltRepo;
let reader: GitRepoReader;
let merge: string;

beforeAll(() => {
  repo = buildRepo({ commits: [
    { message: 'one', tag: 'v1', files: { 'a.txt': 'a1\na2\na3\n', 'lock/package-lock.json': '{"lockfileVersion":3,"packages":{}}\n' } },
    { message: 'two', files: { 'a.txt': 'a1\nA2\na3\na4\n', 'empty.txt': '', 'big.txt': 'x'.repeat(3_000_000) } },
  ] });
  git(repo.dir, ['checkout', '-q', '-b', 'side', repo.shas[0] as string], gitEnv(5));
  git(repo.dir, ['commit', '-q', '--allow-empty', '-m', 'side work'], gitEnv(6));
  git(repo.dir, ['checkout', '-q', 'main'], gitEnv(7));
  git(repo.dir, ['merge', '-q', '--no-ff', '-m', 'merge side', 'side'], gitEnv(8));
  merge = git(repo.dir, ['rev-parse', 'HEAD']).trim();
  reader = new GitRepoReader(repo.dir);
});
afterAll(() => {
  reader.close();
  repo.cleanup();
});

describe('GitRepoReader', () => {
  it('lists commits oldest first with parents, author and ISO dates', async () => {
    const commits = await reader.commits(repo.shas[0] as string, merge);
    expect(commits.map(c => c.subject)).toEqual(['two', 'side work', 'merge side']);
    expect(commits.at(-1)?.parents).toHaveLength(2);
    expect(commits[0]).toMatchObject({ author: 'Dana Developer', date: '2024-01-15T10:00:00Z' });
  });

  it('reads many files through one cat-file process, and undefined for a missing path', async () => {
    const files = await reader.readFiles(repo.shas[1] as string, ['a.txt', 'nope.txt', 'lock/package-lock.json']);
    expect([...files]).toEqual([['a.txt', 'a1\nA2\na3\na4\n'], ['nope.txt', undefined], ['lock/package-lock.json', '{"lockfileVersion":3,"packages":{}}\n']]);
  });

  it('reads empty and multi-megabyte blobs in one stream, in order', async () => {
    const files = await reader.readFiles(repo.shas[1] as string, ['empty.txt', 'big.txt', 'nope', 'a.txt', 'big.txt']);
    expect([...files.keys()]).toEqual(['empty.txt', 'big.txt', 'nope', 'a.txt']);
    expect(files.get('empty.txt')).toBe('');
    expect(files.get('big.txt')?.length).toBe(3_000_000);
    expect(files.get('a.txt')).toBe('a1\nA2\na3\na4\n');
  });

  it('blames changed lines to the commits in the range and leaves older lines out', async () => {
    const blame = await reader.blame(repo.shas[0] as string, merge, 'a.txt', [{ start: 1, end: 4 }]);
    expect([...blame].sort()).toEqual([[2, repo.shas[1]], [4, repo.shas[1]]]);
  });

  it('gives the changed files with the commits that touched them', async () => {
    const changes = await reader.changes(repo.shas[0] as string, merge);
    expect(changes.map(c => [c.path, c.added, c.commits])).toEqual([['a.txt', [{ start: 2, end: 2 }, { start: 4, end: 4 }], [repo.shas[1]]],
      ['big.txt', [{ start: 1, end: 1 }], [repo.shas[1]]], ['empty.txt', [], [repo.shas[1]]]]);
  });

  it('resolves tags and expressions, and refuses what is not a ref', async () => {
    expect(await reader.resolve('v1')).toBe(repo.shas[0]);
    expect(await reader.resolve('HEAD^1')).toBe(repo.shas[1]);
    await expect(reader.resolve('no-such-tag')).rejects.toMatchObject({ code: 'unknown-ref' });
    // An annotated tag is peeled to its commit; a tree, a blob or a tag of a tree is no commit.
    git(repo.dir, ['tag', '-a', '-m', 'notes', 'v1-notes', repo.shas[0] as string], gitEnv(9));
    git(repo.dir, ['tag', '-a', '-m', 'a tree', 'tree-tag', `${repo.shas[0] as string}^{tree}`], gitEnv(9));
    expect(await reader.resolve('v1-notes')).toBe(repo.shas[0]);
    expect(await reader.resolve('v1-notes^{}')).toBe(repo.shas[0]);
    for (const notCommit of ['HEAD^{tree}', 'tree-tag', `${repo.shas[0] as string}:a.txt`]) {
      await expect(reader.resolve(notCommit)).rejects.toMatchObject({ code: 'unknown-ref' });
    }
    git(repo.dir, ['tag', '-d', 'v1-notes', 'tree-tag']); // the default <from> below counts tags
    expect(() => validateRef('--output=/tmp/x')).toThrow(/not a git ref/);
    expect(() => validateRef('a\tb')).toThrow(/not a git ref/);
    expect(() => validateRef(' v1')).toThrow(/not a git ref/);
    expect(() => validateRef('')).toThrow(/not a git ref/);
  });

  it('resolves git\'s own expressions, spaces and all, without changing what they search for (issue 12, item 18)', async () => {
    expect(await reader.resolve(':/one')).toBe(repo.shas[0]);
    expect(await reader.resolve(':/side work')).toBe(git(repo.dir, ['rev-parse', 'side']).trim());
    expect(await reader.resolve('HEAD@{0}^1')).toBe(repo.shas[1]);
    await expect(reader.resolve('v1:a.txt')).rejects.toMatchObject({ code: 'unknown-ref' });
  });

  it('tells a symbolic link and both blobs of a change from the patch (issue 12, item 14)', async () => {
    const files = await reader.changes(repo.shas[0] as string, repo.shas[1] as string);
    const a = files.find(f => f.path === 'a.txt');
    expect(a?.oldBlob).toBe(git(repo.dir, ['rev-parse', `${repo.shas[0]}:a.txt`]).trim());
    expect(a?.blob).toBe(git(repo.dir, ['rev-parse', `${repo.shas[1]}:a.txt`]).trim());
    expect(files.some(f => f.symlink)).toBe(false);
  });

  it('tells ancestors, swapped refs and diverged branches apart', async () => {
    const side = git(repo.dir, ['rev-parse', 'side']).trim();
    expect(await reader.relation(repo.shas[0] as string, merge)).toBe('ancestor');
    expect(await reader.relation(merge, repo.shas[0] as string)).toBe('descendant');
    expect(await reader.relation(side, repo.shas[1] as string)).toBe('diverged');
    expect(await reader.relation(merge, merge)).toBe('same');
  });

  it('defaults <from> to the newest tag that is not on <to>', async () => {
    git(repo.dir, ['tag', 'v2', merge], gitEnv(9));
    expect(await reader.defaultFrom(merge)).toEqual({ ref: 'v1', sha: repo.shas[0] });
  });
});

describe('GitRepoReader.changes with isKnown (issue 15)', () => {
  let shapes: BuiltRepo;
  let from: string;
  let to: string;
  beforeAll(() => {
    const many = (v: number): Record<string, string> => Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`many/f${i}.js`, `export const v = ${v};\n`]));
    shapes = buildRepo({ commits: [
      { message: 'one', files: { 'm.js': 'a\nb\nc\n', 'gone.js': 'x\n', 'old.js': 'same\n'.repeat(30), 'logo.bin': 'a\0b',
        'yarn.lock': '# yarn lockfile v1\n', 'mode.sh': 'echo\n', ...many(1) } },
      { message: 'two', files: { 'm.js': 'a\nB\nc\nd\n', 'gone.js': null, 'new.js': 'n\n', 'old.js': null, 'renamed.js': `${'same\n'.repeat(30)}more\n`,
        'logo.bin': 'a\0c', 'yarn.lock': '# yarn lockfile v1\n\na@1:\n  version "1.0.0"\n', ...many(2) } },
    ] });
    git(shapes.dir, ['update-index', '--chmod=+x', 'mode.sh'], gitEnv(3));
    git(shapes.dir, ['commit', '-q', '-m', 'mode'], gitEnv(3));
    [from, to] = [shapes.shas[0] as string, git(shapes.dir, ['rev-parse', 'HEAD']).trim()];
  });
  afterAll(() => shapes.cleanup());

  /** What a file must be when it is known (the tree diff's own fields), or else exactly what the whole patch says. */
  async function check(isKnown: (path: string) => boolean): Promise<string[]> {
    const shapeReader = new GitRepoReader(shapes.dir);
    try {
      const full = await shapeReader.changes(from, to, p => p !== 'yarn.lock');
      const asked: string[] = [];
      const lite = await shapeReader.changes(from, to, p => p !== 'yarn.lock', f => { asked.push(f.path); return isKnown(f.path); });
      expect(lite.map(f => f.path)).toEqual(full.map(f => f.path));
      for (const [i, f] of lite.entries()) {
        const whole = full[i] as (typeof full)[number];
        if (asked.includes(f.path) && isKnown(f.path)) {
          expect(f).toEqual({ path: whole.path, status: whole.status, binary: false, additions: 0, deletions: 0, added: [], removed: [], hunks: [],
            commits: whole.commits, ...(whole.blob ? { blob: whole.blob } : {}), ...(whole.oldBlob ? { oldBlob: whole.oldBlob } : {}) });
        } else {
          expect(f).toEqual(whole);
        }
      }
      return asked.sort();
    } finally {
      shapeReader.close();
    }
  }

  it('asks only about plain added, deleted and modified files, never renames or mode changes', async () => {
    const asked = await check(() => false);
    expect(asked).toContain('m.js');
    expect(asked).toContain('gone.js');
    expect(asked).toContain('new.js');
    expect(asked).toContain('logo.bin');
    expect(asked).not.toContain('renamed.js');
    expect(asked).not.toContain('mode.sh');
  });

  it('reads the patch of the unknown files only: a few by name, many with the known ones left out, or none', async () => {
    await check(p => p !== 'm.js'); // one unknown (and the rename and the mode change): named
    await check(p => p === 'yarn.lock' || p === 'logo.bin'); // 300+ unknown: the known ones left out
    await check(() => true);
    await check(p => p.startsWith('many/') && p !== 'many/f7.js');
  });
});

describe('GitRepoReader with a cache (issue 15)', () => {
  it('keeps the commits, who touched each path and a file history per commit pair, a tree\'s paths per commit, and ignores damaged entries', async () => {
    const { openBlobCache } = await import('../cache/blob-cache.js');
    const { mkdtempSync, readdirSync, rmSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'reldiff-reader-cache-'));
    try {
      const from = repo.shas[0] as string;
      const plain = { commits: await reader.commits(from, merge), changes: await reader.changes(from, merge), history: await reader.fileHistory(from, merge, 'a.txt'),
        files: await reader.listFiles(merge) };
      const read = async (): Promise<typeof plain> => {
        const cached = new GitRepoReader(repo.dir, openBlobCache(dir, { version: 't' }));
        try {
          return { commits: await cached.commits(from, merge), changes: await cached.changes(from, merge), history: await cached.fileHistory(from, merge, 'a.txt'),
            files: await cached.listFiles(merge) };
        } finally {
          cached.close();
        }
      };
      expect(await read()).toEqual(plain);
      const files = readdirSync(dir).flatMap(s => readdirSync(join(dir, s)).map(f => join(dir, s, f)));
      expect(files.length).toBe(4);
      expect(plain.files).toEqual(['a.txt', 'big.txt', 'empty.txt', 'lock/package-lock.json']);
      expect(await read()).toEqual(plain);
      for (const f of files) writeFileSync(f, 'damaged');
      expect(await read()).toEqual(plain);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('GitRepoReader whatever the user\'s diff settings', () => {
  it('reads the same changes with diff.algorithm, indentHeuristic, interHunkContext and renameLimit set otherwise', async () => {
    // A pair of texts that Myers (git's default) and patience/histogram split into different hunks.
    const before = ['c', 'a', '{', 'b', 'a', 'c', '{', '{', 'a', 'a'].join('\n');
    const after = ['}', '}', 'a', '{', '}', 'c', '}', 'c', '}', 'b'].join('\n');
    const moved = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    const built = buildRepo({ commits: [
      { message: 'one', files: { 'x.js': `${before}\n`, 'old/name.js': `${moved}\n` } },
      { message: 'two', files: { 'x.js': `${after}\n`, 'old/name.js': null, 'new/name.js': `${moved}\nmore\n` } },
    ] });
    const [from, to] = built.shas as [string, string];
    const read = async (): Promise<unknown> => {
      const r = new GitRepoReader(built.dir);
      try {
        return await r.changes(from, to);
      } finally {
        r.close();
      }
    };
    try {
      const expected = await read();
      for (const [key, value] of [['diff.algorithm', 'patience'], ['diff.indentHeuristic', 'false'], ['diff.interHunkContext', '10'],
        ['diff.renameLimit', '1'], ['diff.renames', 'false'], ['diff.relative', 'true']]) git(built.dir, ['config', key as string, value as string]);
      expect(await read()).toEqual(expected);
      git(built.dir, ['config', 'diff.algorithm', 'histogram']);
      expect(await read()).toEqual(expected);
    } finally {
      built.cleanup();
    }
  });
});
