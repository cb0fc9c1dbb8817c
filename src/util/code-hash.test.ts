import { describe, expect, it } from 'vitest';
import { hashCode, moduleFile, modulesIn } from './code-hash.js';

describe('modulesIn', () => {
  it('lists a folder\'s modules relative to the source root, tests and declarations left out', () => {
    const lockfiles = modulesIn('lockfiles');
    expect(lockfiles).toContain(moduleFile('lockfiles/npm-lock'));
    expect(lockfiles.some(f => f.includes('.test.'))).toBe(false);
    expect(lockfiles).toEqual([...lockfiles].sort());
    expect(modulesIn('no-such-folder')).toEqual([]);
  });
});

describe('hashCode', () => {
  it('changes with the files named and their contents, and tells an unreadable file apart', () => {
    const one = hashCode([moduleFile('util/code-hash')]);
    expect(hashCode([moduleFile('util/code-hash')])).toBe(one);
    expect(hashCode([moduleFile('util/arrays')])).not.toBe(one);
    expect(hashCode([moduleFile('util/code-hash'), 'util/missing.js'])).not.toBe(one);
    expect(hashCode(['../node_modules/@vscode/tree-sitter-wasm/package.json'])).not.toBe(hashCode(['../node_modules/no-such/package.json']));
  });
});
