import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRepo } from '../helpers/build-repo.js';
import { runCli } from '../helpers/cli.js';

// Found by the hostile trial after issue 12: the output is redacted as text, but Markdown escapes a value first
// (`ghp_x` becomes `ghp\_x`, `https://u:p@` gets a zero-width space after the colon) and the escaped spelling no
// longer matched the secret. Values are now redacted in the report itself, before any reporter escapes them.

const TOKEN = 'ghp_SECRETxyz123abc';
const FORMATS = ['terminal', 'markdown', 'json', 'html', 'sarif'] as const;

describe('no secret survives a reporter\'s escaping', () => {
  it('a GITHUB_TOKEN quoted in a commit subject is redacted in every format and in the PR comment', () => {
    const repo = buildRepo({ commits: [
      { message: 'start', tag: 'v1', files: { 'a.js': 'export const a = 1;\n' } },
      { message: `leak ${TOKEN} here`, tag: 'v2', files: { 'b.js': 'const c = [];\nsetInterval(() => c.push(1), 10);\n' } },
    ] });
    try {
      for (const format of FORMATS) {
        const r = runCli(['v1', 'v2', '--offline', '--format', format], { cwd: repo.dir, env: { GITHUB_TOKEN: TOKEN } });
        expect(r.code, format).toBe(0);
        expect(r.stdout, format).not.toMatch(/SECRETxyz/);
      }
      const md = runCli(['v1', 'v2', '--offline', '--format', 'markdown'], { cwd: repo.dir, env: { GITHUB_TOKEN: TOKEN } }).stdout;
      expect(md).toContain('leak \\*\\*\\* here');
      const comment = runCli(['comment', 'v1', 'v2', '--dry-run', '--offline'], { cwd: repo.dir, env: { GITHUB_TOKEN: TOKEN } });
      expect(comment.code).toBe(0);
      expect(comment.stdout).toContain('leak \\*\\*\\* here');
      expect(comment.stdout).not.toMatch(/SECRETxyz/);
    } finally {
      repo.cleanup();
    }
  });

  it('a password in a requirements URL is redacted in Markdown as in the other formats', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reldiff-secret-url-'));
    try {
      writeFileSync(join(dir, 'old.txt'), 'requests==2.31.0\n');
      writeFileSync(join(dir, 'new.txt'), 'requests==2.31.0\nmypkg @ https://user:hunter2pass@pypi.example.com/simple/mypkg-1.0-py3-none-any.whl\n');
      for (const format of FORMATS) {
        const r = runCli(['deps', 'old.txt', 'new.txt', '--offline', '--format', format], { cwd: dir });
        expect(r.code, format).toBe(0);
        expect(r.stdout, format).not.toContain('hunter2pass');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
