// https://guides.rubygems.org/patterns/#semantic-versioning and Gem::Version#<=> (rubygems/lib/rubygems/version.rb)
import type { VersionScheme } from './scheme.js';

type Segment = number | string;

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const VALID = /^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** Gem::Version segments: "1.0.0.pre2" -> [1, 0, 0, "pre", 2]; "-" means ".pre.", as RubyGems reads it. */
export function gemSegments(v: string): Segment[] | null {
  const s = v.trim();
  if (!VALID.test(s)) return null;
  const parts = s.replace(/-/g, '.pre.').match(/[0-9]+|[a-z]+/gi) ?? [];
  return parts.map(p => (/^[0-9]+$/.test(p) ? Number(p) : p));
}

function compareSegments(a: Segment[], b: Segment[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x === y) continue;
    if (typeof x === 'string' && typeof y === 'number') return -1;
    if (typeof x === 'number' && typeof y === 'string') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

const isPrerelease = (s: Segment[]): boolean => s.some(p => typeof p === 'string');

export const rubygemsVersions: VersionScheme = {
  compare(a, b) {
    const sa = gemSegments(a);
    const sb = gemSegments(b);
    if (sa && sb) return compareSegments(sa, sb) || byString(a, b);
    if (sa) return 1;
    if (sb) return -1;
    return byString(a, b);
  },
  classify(from, to) {
    const a = gemSegments(from);
    const b = gemSegments(to);
    if (!a || !b) return 'other';
    const order = compareSegments(a, b);
    if (order > 0) return 'downgrade';
    if (order === 0) return 'other';
    if (isPrerelease(b)) return 'prerelease';
    if ((a[0] ?? 0) !== (b[0] ?? 0)) return 'major';
    if ((a[1] ?? 0) !== (b[1] ?? 0)) return 'minor';
    return 'patch';
  },
  normalizeName: name => name,
};
