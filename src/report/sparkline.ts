// A one-line chart of risk across commits for the terminal report.

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * Draws `values` (risk scores, 0..1) as at most `width` block characters. The scale tops out at 1 (or the
 * largest value if that is higher), so a release of small changes looks flat rather than alarming.
 * More values than columns are grouped, and each column shows its group's maximum so no spike is lost.
 */
export function sparkline(values: readonly number[], width: number): string {
  const columns = Math.floor(width);
  if (values.length === 0 || !(columns > 0)) return '';
  const clean = values.map(v => (Number.isFinite(v) && v > 0 ? v : 0));
  const top = clean.reduce((m, v) => (v > m ? v : m), 1);
  const grouped = clean.length <= columns ? clean : groupMax(clean, columns);
  return grouped.map(v => BLOCKS[Math.round((v / top) * (BLOCKS.length - 1))] ?? BLOCKS[0]).join('');
}

function groupMax(values: readonly number[], columns: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < columns; c++) {
    const start = Math.floor((c * values.length) / columns);
    const end = Math.floor(((c + 1) * values.length) / columns);
    let max = 0;
    for (let i = start; i < end; i++) max = Math.max(max, values[i] ?? 0);
    out.push(max);
  }
  return out;
}
