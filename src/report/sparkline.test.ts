import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sparkline } from './sparkline.js';

describe('sparkline', () => {
  it('draws one block per value on a fixed 0..1 scale', () => {
    expect(sparkline([0, 0.5, 1], 10)).toBe('▁▅█');
    expect(sparkline([0.1, 0.1, 0.1], 10)).toBe('▂▂▂');
  });

  it('is empty for no values or no room', () => {
    expect(sparkline([], 10)).toBe('');
    expect(sparkline([1, 2], 0)).toBe('');
    expect(sparkline([1, 2], Number.NaN)).toBe('');
  });

  it('keeps the spike when it groups values into fewer columns', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i === 57 ? 0.95 : 0.05));
    const line = sparkline(values, 10);
    expect(line).toHaveLength(10);
    expect(line).toBe('▁▁▁▁▁█▁▁▁▁');
  });

  it('treats negative and non-finite values as zero, and rescales above 1', () => {
    expect(sparkline([-1, Number.NaN, Number.POSITIVE_INFINITY], 5)).toBe('▁▁▁');
    expect(sparkline([1, 2], 5)).toBe('▅█');
  });

  it('takes more values than fit in one call', () => {
    expect(sparkline(Array.from({ length: 200_000 }, (_, i) => (i === 199_999 ? 1 : 0)), 4)).toBe('▁▁▁█');
  });

  it('never exceeds the width and only uses block characters', () => {
    fc.assert(fc.property(fc.array(fc.double()), fc.integer({ min: 0, max: 80 }), (values, width) => {
      const line = [...sparkline(values, width)];
      expect(line.length).toBe(values.length === 0 || width === 0 ? 0 : Math.min(values.length, width));
      for (const ch of line) expect('▁▂▃▄▅▆▇█').toContain(ch);
    }));
  });
});
