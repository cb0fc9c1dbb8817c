// https://peps.python.org/pep-0440/ (ordering from @renovatebot/pep440), names per https://peps.python.org/pep-0503/
import { compare as pepCompare, explain } from '@renovatebot/pep440';
import type { VersionScheme } from './scheme.js';

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** PEP 503 name normalisation: lowercase, every run of `-`, `_` and `.` becomes one `-`. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export const pep440Versions: VersionScheme = {
  compare(a, b) {
    const va = explain(a) !== null;
    const vb = explain(b) !== null;
    // Equal PEP 440 versions ("1.0" and "1.0.0") still differ as strings; the tie-break keeps the order total.
    if (va && vb) return Math.sign(pepCompare(a, b)) || byString(a, b);
    if (va) return 1;
    if (vb) return -1;
    return byString(a, b);
  },
  classify(from, to) {
    const a = explain(from);
    const b = explain(to);
    if (!a || !b) return 'other';
    const order = pepCompare(from, to);
    if (order > 0) return 'downgrade';
    if (order === 0) return 'other';
    if (b.is_prerelease || b.is_devrelease) return 'prerelease';
    if (a.epoch !== b.epoch) return 'major';
    const at = (r: number[], i: number): number => r[i] ?? 0;
    if (at(a.release, 0) !== at(b.release, 0)) return 'major';
    if (at(a.release, 1) !== at(b.release, 1)) return 'minor';
    // Micro, a fourth segment, a post release or leaving a pre-release: all patch-sized.
    if (a.public !== b.public) return 'patch';
    return 'other';
  },
  normalizeName: normalizePythonName,
  isSameVersion: (a, b) => a === b || (explain(a) !== null && explain(b) !== null && pepCompare(a, b) === 0),
};
