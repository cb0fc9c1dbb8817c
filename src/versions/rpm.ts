// RPM versions as rpm orders them (https://github.com/rpm-software-management/rpm/blob/master/rpmio/rpmvercmp.cc):
// [epoch:]version-release; epoch as a number (missing = 0), then version, then release, each by rpmvercmp:
// alphanumeric segments, digits as numbers and newer than letters, `~` before everything (even the end), `^` after
// the end but before any other segment.
import type { VersionScheme } from './scheme.js';
import { classifyByParts, compareUnreadable } from './parts.js';

interface Evr { epoch: number; version: string; release: string }

function parse(v: string): Evr | undefined {
  const m = /^(?:(\d+):)?([^-:\s]+)(?:-([^-:\s]+))?$/.exec(v.trim());
  if (!m) return undefined;
  return { epoch: Number(m[1] ?? 0), version: m[2] ?? '', release: m[3] ?? '' };
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isAlpha = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isSeparator = (c: string | undefined): boolean => c !== undefined && !isDigit(c) && !isAlpha(c) && c !== '~' && c !== '^';

/** rpmvercmp: -1, 0 or 1. Separators other than ~ and ^ only split segments: 2.0 and 2_0 are equal. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (isSeparator(a[i])) i++;
    while (isSeparator(b[j])) j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    // A caret is a snapshot after a release: newer than the release alone, older than anything else added.
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const isNumber = isDigit(a[i] as string);
    const inSegment = isNumber ? isDigit : isAlpha;
    let endA = i;
    let endB = j;
    while (endA < a.length && inSegment(a[endA] as string)) endA++;
    while (endB < b.length && inSegment(b[endB] as string)) endB++;
    // Segments of different kinds: a number is newer than letters.
    if (endB === j) return isNumber ? 1 : -1;
    let segA = a.slice(i, endA);
    let segB = b.slice(j, endB);
    if (isNumber) {
      segA = segA.replace(/^0+/, '');
      segB = segB.replace(/^0+/, '');
      if (segA.length !== segB.length) return segA.length > segB.length ? 1 : -1;
    }
    if (segA !== segB) return segA < segB ? -1 : 1;
    i = endA;
    j = endB;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export function compareRpm(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return compareUnreadable(pa !== undefined, pb !== undefined, a, b);
  if (pa.epoch !== pb.epoch) return pa.epoch < pb.epoch ? -1 : 1;
  // rpm calls 2.0-1 and 2_0-1 equal; the strings break the tie so that the order stays total.
  return rpmvercmp(pa.version, pb.version) || rpmvercmp(pa.release, pb.release) || (a < b ? -1 : a > b ? 1 : 0);
}

export const rpmVersions: VersionScheme = {
  compare: compareRpm,
  classify(from, to) {
    const a = parse(from);
    const b = parse(to);
    if (!a || !b) return 'other';
    return classifyByParts(compareRpm(from, to), a.epoch !== b.epoch, a.version, b.version, /~/.test(b.version));
  },
  normalizeName: name => name,
};
