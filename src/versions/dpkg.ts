// https://www.debian.org/doc/debian-policy/ch-controlfields.html#version : [epoch:]upstream[-revision], compared
// part by part, non-digits by a character order where ~ sorts before everything (even the end), digits as numbers.
import type { VersionScheme } from './scheme.js';
import { classifyByParts, compareUnreadable } from './parts.js';

interface DebVersion { epoch: number; upstream: string; revision: string }

function parse(v: string): DebVersion | undefined {
  const m = /^(?:(\d+):)?([0-9][A-Za-z0-9.+~:-]*?)(?:-([A-Za-z0-9.+~]+))?$/.exec(v.trim());
  if (!m) return undefined;
  return { epoch: Number(m[1] ?? 0), upstream: m[2] ?? '', revision: m[3] ?? '' };
}

/** dpkg's lexical order: ~ first, then the end of the string, then letters, then everything else. */
function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

function compareFragment(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Non-digit run.
    while ((i < a.length && !/\d/.test(a[i] as string)) || (j < b.length && !/\d/.test(b[j] as string))) {
      const ca = i < a.length && !/\d/.test(a[i] as string) ? a[i] : undefined;
      const cb = j < b.length && !/\d/.test(b[j] as string) ? b[j] : undefined;
      const d = order(ca) - order(cb);
      if (d !== 0) return d < 0 ? -1 : 1;
      if (ca !== undefined) i++;
      if (cb !== undefined) j++;
    }
    // Digit run, as a number (leading zeros do not count).
    let na = '';
    let nb = '';
    while (i < a.length && /\d/.test(a[i] as string)) na += a[i++];
    while (j < b.length && /\d/.test(b[j] as string)) nb += b[j++];
    na = na.replace(/^0+/, '');
    nb = nb.replace(/^0+/, '');
    if (na.length !== nb.length) return na.length < nb.length ? -1 : 1;
    if (na !== nb) return na < nb ? -1 : 1;
  }
  return 0;
}

export function compareDebian(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return compareUnreadable(pa !== undefined, pb !== undefined, a, b);
  if (pa.epoch !== pb.epoch) return pa.epoch < pb.epoch ? -1 : 1;
  return compareFragment(pa.upstream, pb.upstream) || compareFragment(pa.revision, pb.revision) || (a < b ? -1 : a > b ? 1 : 0);
}

export const debianVersions: VersionScheme = {
  compare: compareDebian,
  classify(from, to) {
    const a = parse(from);
    const b = parse(to);
    if (!a || !b) return 'other';
    return classifyByParts(compareDebian(from, to), a.epoch !== b.epoch, a.upstream, b.upstream, /~/.test(b.upstream));
  },
  normalizeName: name => name.toLowerCase(),
};
