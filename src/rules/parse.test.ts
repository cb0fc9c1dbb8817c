import { describe, expect, it } from 'vitest';
import { languageForPath, loadGrammar, parseSource } from './parse.js';

describe('languageForPath', () => {
  it.each([
    ['a.py', 'python', 'python'], ['a.pyi', 'python', 'python'], ['a.js', 'javascript', 'javascript'],
    ['a.mjs', 'javascript', 'javascript'], ['a.cjs', 'javascript', 'javascript'], ['a.jsx', 'javascript', 'javascript'],
    ['a.ts', 'typescript', 'typescript'], ['a.mts', 'typescript', 'typescript'], ['a.cts', 'typescript', 'typescript'],
    ['dir.x/a.tsx', 'typescript', 'tsx'], ['A.PY', 'python', 'python'],
  ])('%s → %s (%s grammar)', (path, language, grammar) => {
    expect(languageForPath(path)).toEqual({ language, grammar });
  });

  it('ignores other files', () => {
    expect(languageForPath('README.md')).toBeUndefined();
    expect(languageForPath('Makefile')).toBeUndefined();
    expect(languageForPath('a.d.ts.map')).toBeUndefined();
  });
});

describe('parseSource', () => {
  it('loads each grammar once and shares it', async () => {
    const [a, b] = await Promise.all([loadGrammar('python'), loadGrammar('python')]);
    expect(a.language).toBe(b.language);
  });

  it('parses, runs memoised queries and splits lines', async () => {
    const file = await parseSource('a.py', 'x = 1\ny = 2\n', 'python', 'python');
    try {
      expect(file.lines).toEqual(['x = 1', 'y = 2', '']);
      expect(file.query('(assignment left: (identifier) @n)').map(c => c.node.text)).toEqual(['x', 'y']);
      expect(file.query('(assignment left: (identifier) @n)').length).toBe(2);
    } finally {
      file.dispose();
    }
  });
});
