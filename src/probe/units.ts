import { ReldiffError } from '../errors.js';

// Human-friendly durations and thresholds on the command line: 500ms, 60s, 5m, 1h; 1MB/min, 5%.

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|min|h)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

export function parseDuration(text: string, option: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new ReldiffError('bad-option', `${option} '${text.slice(0, 40)}' is not a duration`, 'Use a number with ms, s, m or h, for example 60s');
  return Math.round(Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1000));
}

export type Threshold = { kind: 'mb-per-min'; value: number } | { kind: 'percent'; value: number };

// Memory is measured in MiB (RSS in KiB / 1024); `MB` is accepted as the everyday spelling of the same unit.
const RATE = /^(\d+(?:\.\d+)?)\s*(kb|mb|gb|kib|mib|gib)\s*\/\s*(s|min|m|h)$/i;

export function parseThreshold(text: string): Threshold {
  const t = text.trim();
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (percent) return { kind: 'percent', value: Number(percent[1]) };
  const rate = RATE.exec(t);
  if (rate) {
    const mb = { kb: 1 / 1024, mb: 1, gb: 1024 }[(rate[2] ?? 'mb').toLowerCase().replace('i', '') as 'kb' | 'mb' | 'gb'];
    const perMin = { s: 60, min: 1, m: 1, h: 1 / 60 }[(rate[3] ?? 'min').toLowerCase() as 's' | 'min' | 'm' | 'h'];
    return { kind: 'mb-per-min', value: Number(rate[1]) * mb * perMin };
  }
  throw new ReldiffError('bad-option', `--threshold '${t.slice(0, 40)}' is not a growth rate`, 'Use MiB per minute (1MiB/min) or a percentage of the starting memory over the run (5%)');
}

export function parseRate(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value >= 0.5) {
    throw new ReldiffError('bad-option', `${option} '${text.slice(0, 40)}' is not a rate`, 'Give a number from 0 to 0.5, for example 0.1');
  }
  return value;
}
