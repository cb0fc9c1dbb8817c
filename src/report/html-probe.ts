import type { Report } from './model.js';
import { esc, num } from './html-escape.js';

// After `reldiff probe`: resident memory over time, the fitted trend line and the verdict.

const W = 600;
const H = 240;
const PAD = { left: 70, right: 12, top: 12, bottom: 32 };

export function renderProbe(report: Report): string {
  const probe = report.probe;
  if (probe === undefined) return '';
  const samples = probe.samples.filter(([t, mb]) => Number.isFinite(t) && Number.isFinite(mb));
  const trend = (t: number): number => probe.interceptMb + probe.slopeMbPerMin * (t / 60_000);
  const maxT = samples.reduce((m, [t]) => (t > m ? t : m), 1);
  const start = Math.min(probe.warmupMs, maxT);
  const ys = [...samples.map(([, mb]) => mb), trend(start), trend(maxT)].filter(Number.isFinite);
  const lo = ys.reduce((m, v) => (v < m ? v : m), Number.POSITIVE_INFINITY);
  const hi = ys.reduce((m, v) => (v > m ? v : m), Number.NEGATIVE_INFINITY);
  const minY = Number.isFinite(lo) ? lo : 0;
  const span = Number.isFinite(hi) && hi > minY ? hi - minY : 1;
  const x = (t: number): string => num(PAD.left + (t / maxT) * (W - PAD.left - PAD.right), 1);
  const y = (mb: number): string => num(H - PAD.bottom - ((mb - minY) / span) * (H - PAD.top - PAD.bottom), 1);
  const points = samples.map(([t, mb]) => `${x(t)},${y(mb)}`).join(' ');
  const warmup = probe.warmupMs > 0
    ? `<rect class="pr-warmup" x="${x(0)}" y="${PAD.top}" width="${num(Number(x(start)) - Number(x(0)), 1)}" height="${H - PAD.top - PAD.bottom}"/>` : '';
  const chart = `<svg class="pr-svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="Resident memory over ${num(maxT / 1000, 1)} s, ${samples.length} samples; trend ${num(probe.slopeMbPerMin)} MB per minute">
${warmup}<line class="pr-axis" x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}"/><line class="pr-axis" x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}"/>
<text class="pr-tick" x="${PAD.left - 6}" y="${y(minY + span)}" text-anchor="end" dominant-baseline="middle">${num(minY + span, 1)} MB</text>
<text class="pr-tick" x="${PAD.left - 6}" y="${y(minY)}" text-anchor="end" dominant-baseline="middle">${num(minY, 1)} MB</text>
<text class="pr-tick" x="${x(0)}" y="${H - 10}" text-anchor="start">0 s</text>
<text class="pr-tick" x="${x(maxT)}" y="${H - 10}" text-anchor="end">${num(maxT / 1000, 1)} s</text>
<polyline class="pr-curve" points="${points}"/>
<line class="pr-trend" x1="${x(start)}" y1="${y(trend(start))}" x2="${x(maxT)}" y2="${y(trend(maxT))}"/>
</svg>`;
  return `<section id="probe" aria-labelledby="probe-h">
<h2 id="probe-h">Memory probe</h2>
<p>Verdict: <span class="badge verdict-${esc(probe.verdict)}">${esc(probe.verdict)}</span> · trend ${num(probe.slopeMbPerMin)} MB/min after ${num(probe.warmupMs / 1000, 1)} s warm-up · one sample every ${probe.intervalMs} ms</p>
<ul class="legend" aria-label="Legend"><li><span class="sw sw-curve"></span>resident memory (MB)</li><li><span class="sw sw-trend"></span>fitted trend</li>${probe.warmupMs > 0 ? '<li><span class="sw sw-warmup"></span>warm-up</li>' : ''}</ul>
<div class="pr-wrap">${chart}</div>
</section>`;
}
