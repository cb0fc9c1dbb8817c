import { escapeUnsafeInJson } from '../util/control-chars.js';
import type { Reporter } from './types.js';

/**
 * Stable serialisation: object keys sorted at every level, so equal reports are equal bytes. Values stay exact;
 * DEL, C1 and bidi characters, which JSON.stringify would write raw, are written as \u escapes.
 */
export function stableStringify(value: unknown): string {
  return escapeUnsafeInJson(JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  }, 2));
}

export const jsonReporter: Reporter = {
  format: 'json',
  render: report => `${stableStringify(report)}\n`,
};
