import { describe, expect, it } from 'vitest';
import { changedNpmBlocks, isNpmBlockBase } from './npm-blocks.js';

const lock = (packages: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'app' }, ...packages }, ...extra }, null, 2)}\n`;
const entry = (version: string, more: Record<string, unknown> = {}) => ({ version, integrity: `sha512-${version}`, ...more });
const plain = (moved: ReturnType<typeof changedNpmBlocks>) =>
  moved && { removed: Object.fromEntries(moved.removed), added: Object.fromEntries(moved.added) };

describe('changedNpmBlocks', () => {
  const a = entry('1.0.0');
  const b = entry('2.0.0', { dependencies: { a: '^1.0.0' } });
  it('reads the entries whose lines changed, by their install path or their own name', () => {
    expect(plain(changedNpmBlocks(lock({ 'node_modules/a': a, 'node_modules/b': b }), lock({ 'node_modules/a': entry('1.1.0'), 'node_modules/b': b }))))
      .toEqual({ removed: { a: ['1.0.0|sha512-1.0.0'] }, added: { a: ['1.1.0|sha512-1.1.0'] } });
    // A nested copy added at the end: the entry above it gets a comma and is read again on both sides.
    expect(plain(changedNpmBlocks(lock({ 'node_modules/a': a, 'node_modules/b': b }), lock({ 'node_modules/a': a, 'node_modules/b': b, 'node_modules/b/node_modules/a': entry('0.9.0') }))))
      .toEqual({ removed: { b: ['2.0.0|sha512-2.0.0'] }, added: { b: ['2.0.0|sha512-2.0.0'], a: ['0.9.0|sha512-0.9.0'] } });
    expect(plain(changedNpmBlocks(lock({ 'node_modules/x': a }), lock({ 'node_modules/x': { ...a, name: 'real' } }))))
      .toEqual({ removed: { x: ['1.0.0|sha512-1.0.0'] }, added: { real: ['1.0.0|sha512-1.0.0'] } });
    // The project's own name and version are no package's.
    expect(plain(changedNpmBlocks(lock({ 'node_modules/a': a }), lock({ 'node_modules/a': a }).replace('"version": "1.0.0",\n  "lockfileVersion"', '"version": "1.0.1",\n  "lockfileVersion"'))))
      .toEqual({ removed: {}, added: {} });
  });

  it('cannot decide on another layout, a root line, a key written twice, a comma out of place or an entry the parser refuses', () => {
    const before = lock({ 'node_modules/a': a, 'node_modules/b': b });
    expect(changedNpmBlocks(before, before.replace('"lockfileVersion": 3', '"lockfileVersion": 2'))).toBeUndefined();
    expect(changedNpmBlocks(before, before.replace('    "node_modules/b": {', '    "node_modules/a": {'))).toBeUndefined();
    expect(changedNpmBlocks(before, before.replace('    },\n    "node_modules/b"', '    }\n    "node_modules/b"'))).toBeUndefined();
    expect(changedNpmBlocks(before, lock({ 'node_modules/a': { version: 1 }, 'node_modules/b': b }))).toBeUndefined();
    expect(changedNpmBlocks(before, before.replace('      "version": "1.0.0",', '      "version":  "1.1.0",'))).toBeUndefined();
  });

  it('takes as a base only a file laid out as npm writes it', () => {
    const text = lock({ 'node_modules/a': a });
    expect(isNpmBlockBase(text)).toBe(true);
    expect(isNpmBlockBase(`${JSON.stringify(JSON.parse(text), null, 4)}\n`)).toBe(false);
    expect(isNpmBlockBase(text.replace('\n}\n', '\n}'))).toBe(false);
    expect(isNpmBlockBase(text.replace('    "node_modules/a": {', '    "node_modules/a": {\n      "version": "0"\n    },\n    "node_modules/a": {'))).toBe(false);
  });
});
