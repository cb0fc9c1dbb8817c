import type { Report } from '../report/model.js';
import type { Acknowledgement } from './model.js';

/**
 * Marks acknowledged ranking items so that they do not trip --fail-on. An expired acknowledgement marks nothing and
 * adds a warning, so the item fails the gate again. `today` is YYYY-MM-DD. Pure.
 */
export function applyAcknowledgements(report: Report, acks: readonly Acknowledgement[], today: string): Report {
  if (acks.length === 0) return report;
  const byId = new Map(acks.map(a => [a.id, a]));
  const warnings: string[] = [];
  const ranking = report.ranking.map(item => {
    const ack = byId.get(item.id);
    if (!ack) return item;
    if (ack.until !== undefined && ack.until < today) {
      warnings.push(`acknowledgement of ${item.id} expired on ${ack.until}; it counts for --fail-on again. `
        + `Review it and renew with: reldiff ack ${item.id} --reason "..." --until <date>`);
      return item;
    }
    return { ...item, acknowledged: { reason: ack.reason, ...(ack.until !== undefined ? { until: ack.until } : {}) } };
  });
  return { ...report, ranking, warnings: [...report.warnings, ...warnings.sort()] };
}
