import { escapeUnsafeInJson } from '../util/control-chars.js';
import type { Reporter } from './types.js';

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Whether `keys` are already in sorted order (most objects of a report are built that way, or have one key). */
function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (!((keys[i - 1] as string) < (keys[i] as string))) return false;
  return true;
}

/**
 * Stable serialisation: object keys sorted at every level, so equal reports are equal bytes. Values stay exact;
 * DEL, C1 and bidi characters, which JSON.stringify would write raw, are written as \u escapes.
 * An object whose keys are in order already is written as it is: copying every object of a 3 MB report into a
 * sorted one cost as much again as writing it (native JSON.stringify orders integer keys first in both cases).
 */
export function stableStringify(value: unknown): string {
  return escapeUnsafeInJson(JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (isSorted(keys)) return v;
      // No prototype: a key named "__proto__" (a package name from a lockfile can be one) stays an own key instead of
      // setting the copy's prototype and vanishing from the output.
      const sorted = Object.create(null) as Record<string, unknown>;
      for (const k of keys.sort(byKey)) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  }, 2));
}

export const jsonReporter: Reporter = {
  format: 'json',
  render: report => `${stableStringify(report)}\n`,
};
