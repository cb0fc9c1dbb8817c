import { describe, expect, it } from 'vitest';
import { renderChart } from './chart.js';
import { parseStatPpid, parseVmRssKb } from './proc.js';
import { theilSen } from './trend.js';
import { parseDuration, parseThreshold } from './units.js';
import { decide } from './verdict.js';

const series = (n: number, f: (i: number) => number): [number, number][] => Array.from({ length: n }, (_, i) => [i * 500, f(i)]);

describe('units', () => {
  it('parses durations and thresholds', () => {
    expect([parseDuration('500ms', 'x'), parseDuration('60s', 'x'), parseDuration('5m', 'x'), parseDuration('2', 'x')]).toEqual([500, 60_000, 300_000, 2000]);
    expect(parseThreshold('1MB/min')).toEqual({ kind: 'mb-per-min', value: 1 });
    expect(parseThreshold('2MiB/s')).toEqual({ kind: 'mb-per-min', value: 120 });
    expect(parseThreshold('512KB/s')).toEqual({ kind: 'mb-per-min', value: 30 });
    expect(parseThreshold('5%')).toEqual({ kind: 'percent', value: 5 });
    expect(() => parseThreshold('fast')).toThrow(/not a growth rate/);
    expect(() => parseDuration('-1s', '--duration')).toThrow(/--duration/);
  });
});

describe('proc parsing', () => {
  it('reads VmRSS and ppid from real-looking /proc text', () => {
    expect(parseVmRssKb('Name:\tnode\nVmPeak:\t  900 kB\nVmRSS:\t   51234 kB\n')).toBe(51234);
    expect(parseVmRssKb('Name:\tkworker\n')).toBe(0);
    expect(parseStatPpid('4242 (my (odd) name) S 17 4242 17 0 -1')).toBe(17);
  });
});

describe('theilSen', () => {
  it('ignores a single spike that would bend least squares', () => {
    const points = series(40, i => 100 + 0.5 * i).map(([x, y], i) => [x, i === 20 ? y + 500 : y] as [number, number]);
    const trend = theilSen(points);
    expect(trend.slope).toBeCloseTo(0.001, 6);
    expect(trend.low).toBeLessThanOrEqual(trend.slope);
    expect(trend.high).toBeGreaterThanOrEqual(trend.slope);
  });
});

describe('decide', () => {
  const mbPerMin = { kind: 'mb-per-min', value: 1 } as const;
  it('calls steady growth a leak', () => {
    const d = decide({ samples: series(40, i => 50 + i * 0.2), threshold: mbPerMin });
    expect(d.verdict).toBe('leak');
    expect(d.reason).toMatch(/memory grows 24\.00 MiB\/min/);
  });
  it('does not call a rising sawtooth whose floor stays put a leak', () => {
    // Allocate-and-drop: memory climbs between collections and falls back to the same floor each time.
    const d = decide({ samples: series(60, i => 50 + (i % 20) * 1.5), threshold: mbPerMin });
    expect(d.verdict).toBe('inconclusive');
    expect(d.reason).toMatch(/floor/);
  });

  it('calls a GC sawtooth without growth flat', () => {
    const d = decide({ samples: series(120, i => 80 + (i % 10) * 0.01), threshold: mbPerMin });
    expect(d.verdict).toBe('flat');
  });
  it('is inconclusive for a crash, too few samples, or noise near the threshold', () => {
    expect(decide({ samples: series(40, i => 50 + i), threshold: mbPerMin, exit: { code: 3, signal: null } }).reason).toMatch(/exited with 3/);
    expect(decide({ samples: series(3, i => 50 + i), threshold: mbPerMin }).verdict).toBe('inconclusive');
    const noisy = series(20, i => 50 + ((i * 7919) % 13) * 0.2);
    expect(decide({ samples: noisy, threshold: { kind: 'mb-per-min', value: 0.5 } }).verdict).toBe('inconclusive');
  });
  it('turns a percentage into a rate over the sampled window', () => {
    const samples = series(41, i => 100 + i * 0.05); // 2 MB over 20 s: 2 % of 100 MB
    expect(decide({ samples, threshold: { kind: 'percent', value: 1 } }).verdict).toBe('leak');
    expect(decide({ samples, threshold: { kind: 'percent', value: 5 } }).verdict).toBe('flat');
  });
});

describe('renderChart', () => {
  it('draws rising memory as a rising staircase with labels', () => {
    const chart = renderChart(series(8, i => 10 + i), { width: 8, height: 4 });
    expect(chart.split('\n')).toEqual([
      '    17.0 MiB │      ██',
      '             │    ████',
      '             │  ██████',
      '    10.0 MiB │████████',
      '             └────────',
      '              0.0s 3.5s',
      '',
    ]);
  });
});
