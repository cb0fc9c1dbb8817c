import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeUnsafeInJson } from '../util/control-chars.js';
import { stableStringify } from './json.js';

/** What stableStringify wrote before its one-walk writer: a replacer that hands JSON.stringify a sorted copy of every object. */
function reference(value: unknown): string {
  return escapeUnsafeInJson(JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  }, 2));
}

describe('stableStringify', () => {
  it('sorts keys at every level and indents by two spaces', () => {
    expect(stableStringify({ b: [1, { d: true, c: null }], a: 'x', e: {}, f: [] })).toBe(
      '{\n  "a": "x",\n  "b": [\n    1,\n    {\n      "c": null,\n      "d": true\n    }\n  ],\n  "e": {},\n  "f": []\n}');
  });

  it('writes the bytes the sorted-copy replacer wrote, for edge values', () => {
    const cases: unknown[] = [
      { 10: 'ten', 2: 'two', b: 1, a: 2, '01': 'not an index', '-1': 'neither', 4294967295: 'past the last index' },
      { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, Symbol('t')] },
      { only: undefined }, [undefined], JSON.parse('{"z": 1, "__proto__": {"b": 2, "a": 1}}'), { n: NaN, i: Infinity, z: -0, e: 1e21, s: 5e-7 },
      { date: new Date(0), nested: { toJSON: (key: string) => `key ${key}` } },
      { text: 'tab\tnew\nline "quoted" \\ \u2028 \u202e bidi \x9b csi \x7f del \x1b esc \ud800 lone' },
      'plain', 3, null, true, [], {}, [[[]]], [{}],
    ];
    for (const value of cases) expect(stableStringify(value)).toBe(reference(value));
  });

  it('writes the bytes the sorted-copy replacer wrote, for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), value => {
      expect(stableStringify(value)).toBe(reference(value));
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.anything({ withObjectString: false, withBoxedValues: false, withMap: false, withSet: false, withBigInt: false, withTypedArray: false, withSparseArray: true, withNullPrototype: true }), anything => {
      // Inside an object: a report is one, and JSON.stringify of a bare undefined is no text at all.
      const value = { anything };
      expect(stableStringify(value)).toBe(reference(value));
    }), { numRuns: 300 });
  });
});
