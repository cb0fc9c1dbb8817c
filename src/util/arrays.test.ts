import { describe, expect, it } from 'vitest';
import { addTo, extent, pushAll } from './arrays.js';

describe('arrays of input-sized length', () => {
  it('appends and measures 500,000 items where a spread overflows the call stack', () => {
    const many = Array.from({ length: 500_000 }, (_, i) => (i * 7919) % 500_000);
    expect(() => [].push(...(many as never[]))).toThrow(RangeError);
    expect(pushAll([-1], many)).toHaveLength(500_001);
    expect(extent(many)).toEqual({ min: 0, max: 499_999 });
  });

  it('gives what Math.min and Math.max give on an empty list', () => {
    expect(extent([])).toEqual({ min: Infinity, max: -Infinity });
    expect(extent([3, -2, 5])).toEqual({ min: -2, max: 5 });
  });
});

describe('addTo', () => {
  it('groups in place, in arrival order', () => {
    const map = new Map<string, number[]>();
    for (const [k, v] of [['a', 1], ['b', 2], ['a', 3]] as const) addTo(map, k, v);
    expect([...map]).toEqual([['a', [1, 3]], ['b', [2]]]);
  });
});
