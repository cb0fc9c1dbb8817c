import type { Threshold } from './units.js';
import { theilSen, type Trend } from './trend.js';
import { extent } from '../util/arrays.js';

// From samples to leak / flat / inconclusive. Pure, so that every branch is testable without a workload.

export type Verdict = 'leak' | 'flat' | 'inconclusive';

export interface ProbeInput {
  /** [ms since start, resident MiB], after warm-up. */
  samples: [number, number][];
  threshold: Threshold;
  /** Set when the workload ended before the probe did. */
  exit?: { code: number | null; signal: string | null };
  minSamples?: number;
}

export interface ProbeDecision { verdict: Verdict; reason: string; trend: Trend; thresholdMbPerMin: number }

/** A percentage is growth over the sampled window relative to memory at its start. */
export function thresholdMbPerMin(threshold: Threshold, samples: readonly [number, number][], trend: Trend): number {
  if (threshold.kind === 'mb-per-min') return threshold.value;
  const first = samples[0]?.[0] ?? 0;
  const last = samples.at(-1)?.[0] ?? first;
  const minutes = Math.max(1e-9, (last - first) / 60_000);
  const base = Math.max(1, trend.intercept + trend.slope * first);
  return (threshold.value / 100) * base / minutes;
}

/**
 * A leak raises the lowest memory too: garbage collection drops a healthy process back to the same floor, and a
 * sawtooth or a one-off warm-up step can still fit a rising line. The floor of the last third must have risen by at
 * least half of what the trend predicts since the first third.
 */
export function isFloorRising(samples: readonly [number, number][], slopeMbPerMin: number): boolean {
  const third = Math.floor(samples.length / 3);
  if (third < 2) return true;
  const first = samples.slice(0, third);
  const last = samples.slice(-third);
  const floor = (part: readonly [number, number][]): number => extent(part.map(s => s[1])).min;
  const middle = (part: readonly [number, number][]): number => ((part[0]?.[0] ?? 0) + (part.at(-1)?.[0] ?? 0)) / 2;
  const expected = slopeMbPerMin * (middle(last) - middle(first)) / 60_000;
  return floor(last) - floor(first) >= expected / 2;
}

export function decide(input: ProbeInput): ProbeDecision {
  const perMinute = input.samples.map(([ms, mb]) => [ms / 60_000, mb] as [number, number]);
  const trend = theilSen(perMinute);
  const limit = thresholdMbPerMin(input.threshold, input.samples, trend);
  const base = { trend, thresholdMbPerMin: limit };
  const exit = input.exit;
  if (exit && (exit.signal !== null || exit.code !== 0)) {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with ${exit.code}`;
    return { ...base, verdict: 'inconclusive', reason: `the workload ${how} before the probe ended` };
  }
  if (input.samples.length < (input.minSamples ?? 8)) {
    return { ...base, verdict: 'inconclusive', reason: `only ${input.samples.length} samples after warm-up: run longer or sample more often` };
  }
  const rate = `${trend.slope.toFixed(2)} MiB/min (95% interval ${trend.low.toFixed(2)} to ${trend.high.toFixed(2)})`;
  if (trend.low > limit) {
    if (!isFloorRising(input.samples, trend.slope)) {
      return { ...base, verdict: 'inconclusive', reason: `memory trend ${rate} comes from swings, not from a floor that rises (garbage collection?): run longer` };
    }
    return { ...base, verdict: 'leak', reason: `memory grows ${rate}, above ${limit.toFixed(2)} MiB/min` };
  }
  if (trend.high < limit) return { ...base, verdict: 'flat', reason: `memory trend ${rate} stays below ${limit.toFixed(2)} MiB/min` };
  return { ...base, verdict: 'inconclusive', reason: `memory trend ${rate} is too noisy to compare with ${limit.toFixed(2)} MiB/min: run longer` };
}
