// A small text chart of memory over time for stderr: one column per time bucket, rows of MiB.

import { extent } from '../util/arrays.js';

export function renderChart(samples: readonly [number, number][], options: { width?: number; height?: number } = {}): string {
  if (samples.length === 0) return 'no samples\n';
  const width = Math.max(2, Math.min(options.width ?? 60, samples.length));
  const height = options.height ?? 8;
  const ys = samples.map(([, mb]) => mb);
  // A day of samples at 1 s is 86,400 values: no spread into Math.min/Math.max.
  const { min, max: highest } = extent(ys);
  // A floor on the scale keeps a flat line flat instead of magnifying 100 kB of jitter to full height.
  const max = Math.max(highest, min + Math.max(1, min * 0.02));
  const span = max - min;
  const first = samples[0]?.[0] ?? 0;
  const last = samples.at(-1)?.[0] ?? first;
  const columns: number[] = [];
  for (let c = 0; c < width; c++) {
    const bucket = samples.filter((_, i) => Math.floor((i * width) / samples.length) === c).map(([, mb]) => mb);
    columns.push(bucket.length ? bucket.reduce((a, b) => a + b, 0) / bucket.length : Number.NaN);
  }
  const rows: string[] = [];
  for (let r = height - 1; r >= 0; r--) {
    const label = r === height - 1 ? max.toFixed(1) : r === 0 ? min.toFixed(1) : '';
    const line = columns.map(v => (Number.isNaN(v) ? ' ' : Math.round(((v - min) / span) * (height - 1)) >= r ? '█' : ' ')).join('');
    rows.push(`${(label ? `${label} MiB` : '').padStart(12)} │${line}`);
  }
  rows.push(`${' '.repeat(13)}└${'─'.repeat(width)}`);
  rows.push(`${' '.repeat(14)}${(first / 1000).toFixed(1)}s${' '.repeat(Math.max(1, width - 12))}${(last / 1000).toFixed(1)}s`);
  return `${rows.join('\n')}\n`;
}
