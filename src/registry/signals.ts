import type { DependencyChange, Signal } from '../types.js';
import type { RegistryPackage, RegistryVersion } from './facts.js';
import { applicableLeakProne, type LeakProneMatch } from './leak-prone.js';

// Pure: registry facts of the two versions → signals with their reason text. Points live in risk/weights.ts.

export interface SignalInputs {
  change: DependencyChange;
  /** Undefined when neither the registry nor the cache knew the package: only name-based signals apply. */
  pkg: RegistryPackage | undefined;
  /** ISO date of the `to` commit. */
  toDate?: string;
  leakProne: LeakProneMatch[];
  compare: (a: string, b: string) => number;
}

/** A release younger than this at the `to` commit had little time to meet production. */
export const FRESH_DAYS = 14;
export const SKIPPED_MIN = 3;
const DAY = 86_400_000;

export function registrySignals({ change, pkg, toDate, leakProne, compare }: SignalInputs): Signal[] {
  if (!change.to) return [];
  const after = pkg?.versions[change.to];
  if (!pkg || !after) return leakProneSignal(change, undefined, leakProne);
  const before = change.from ? pkg.versions[change.from] : undefined;
  const has = (...ids: string[]) => change.signals.some(s => ids.includes(s.id));
  const out: Signal[] = [];
  const push = (id: string, detail: string) => out.push({ id, detail });

  if (after.native.length > 0 && !has('native-code', 'native-added')) {
    if (before && before.native.length === 0) push('native-added', `native code appeared in ${change.to}: ${after.native.join(', ')}`);
    else push('native-code', `ships native code (${after.native.join(', ')}), which the JavaScript or Python heap tools do not see`);
  }
  installScriptSignal(change, before, after, has, push);
  const age = ageDays(after.published, toDate);
  if (age !== undefined && age >= 0 && age < FRESH_DAYS) {
    push('fresh-release', `${change.to} was ${age === 0 ? 'less than a day' : `${age} day${age === 1 ? '' : 's'}`} old at the \`to\` commit (published ${after.published?.slice(0, 10)})`);
  }
  if (change.from && compare(change.from, change.to) < 0) {
    const skipped = skippedVersions(pkg, change.from, change.to, compare);
    if (skipped.length >= SKIPPED_MIN) {
      push('versions-skipped', `jumps over ${skipped.length} releases between ${change.from} and ${change.to} (${list(skipped, 5)})`);
    }
  }
  if (after.deprecated) push('deprecated', `${change.to} is deprecated: ${clip(after.deprecated, 120)}`);
  if (after.yanked !== undefined) push('yanked', `${change.to} was yanked${after.yanked ? `: ${clip(after.yanked, 120)}` : ''}`);
  if (before) peopleAndGrowth(change, before, after, push);
  return [...out, ...leakProneSignal(change, after, leakProne)];
}

/** Native code as the registry or the lockfile knows it: a keyword of a native-memory category needs it. */
function leakProneSignal(change: DependencyChange, after: RegistryVersion | undefined, leakProne: LeakProneMatch[]): Signal[] {
  const native = (after?.native.length ?? 0) > 0 || change.signals.some(s => s.id === 'native-code' || s.id === 'native-added');
  const matches = applicableLeakProne(leakProne, change.ecosystem, native);
  if (matches.length === 0) return [];
  return [{ id: 'leak-prone-category', detail: matches.map(m => `${m.label} (${m.via}): ${m.why}${m.evidence ? `; evidence: ${m.evidence}` : ''}`).join('; ') }];
}

function installScriptSignal(change: DependencyChange, before: RegistryVersion | undefined, after: RegistryVersion,
  has: (...ids: string[]) => boolean, push: (id: string, detail: string) => void): void {
  const names = Object.keys(after.installScripts).sort();
  if (names.length === 0 || has('install-script-added')) return;
  const shown = names.map(n => `${n}: \`${clip(after.installScripts[n] ?? '', 80)}\``).join(', ');
  if (before && Object.keys(before.installScripts).length === 0) {
    push('install-script-added', `${change.to} adds an install script (${shown})`);
    return;
  }
  const changed = before ? names.filter(n => before.installScripts[n] !== after.installScripts[n]) : [];
  if (changed.length > 0) push('install-script-changed', `install script changed in ${change.to} (${changed.map(n => `${n}: \`${clip(after.installScripts[n] ?? '', 80)}\``).join(', ')})`);
  else if (!before && !has('install-script')) push('install-script', `runs an install script (${shown})`);
}

function peopleAndGrowth(change: DependencyChange, before: RegistryVersion, after: RegistryVersion,
  push: (id: string, detail: string) => void): void {
  const added = after.dependencies.filter(d => !before.dependencies.includes(d));
  if (added.length > 0) push('new-dependencies', `${change.to} pulls in ${added.length} new dependenc${added.length === 1 ? 'y' : 'ies'}: ${list(added, 8)}`);
  if (before.maintainers.length > 0 && after.maintainers.length > 0) {
    const plus = after.maintainers.filter(m => !before.maintainers.includes(m));
    const minus = before.maintainers.filter(m => !after.maintainers.includes(m));
    if (plus.length + minus.length > 0) {
      push('maintainers-changed', [plus.length ? `added ${list(plus, 5)}` : '', minus.length ? `removed ${list(minus, 5)}` : ''].filter(Boolean).join('; '));
    }
  }
  if (before.publisher && after.publisher && before.publisher !== after.publisher) {
    push('publisher-changed', `${change.from} was published by ${before.publisher}, ${change.to} by ${after.publisher}`);
  }
  const size = growth(before.unpackedSize, after.unpackedSize, 100_000);
  const files = growth(before.fileCount, after.fileCount, 20);
  if (size || files) {
    const parts = [];
    if (before.unpackedSize !== undefined && after.unpackedSize !== undefined) parts.push(`unpacked size ${bytes(before.unpackedSize)} -> ${bytes(after.unpackedSize)}${size ?? ''}`);
    if (before.fileCount !== undefined && after.fileCount !== undefined) parts.push(`files ${before.fileCount} -> ${after.fileCount}${files ?? ''}`);
    push('size-growth', parts.join(', '));
  }
}

/** At least 1.5x and a minimum absolute step, so that small packages do not trip it. */
function growth(before: number | undefined, after: number | undefined, minDelta: number): string | undefined {
  if (before === undefined || after === undefined || before <= 0) return undefined;
  if (after < before * 1.5 || after - before < minDelta) return undefined;
  return ` (+${Math.round(((after - before) / before) * 100)}%)`;
}

export function skippedVersions(pkg: RegistryPackage, from: string, to: string, compare: (a: string, b: string) => number): string[] {
  const isPre = (v: string) => /-|[a-z]/i.test(v.replace(/^v/, ''));
  const wantPre = isPre(to);
  return Object.keys(pkg.versions)
    .filter(v => compare(from, v) < 0 && compare(v, to) < 0 && (wantPre || !isPre(v)))
    .sort(compare);
}

export function ageDays(published: string | undefined, toDate: string | undefined): number | undefined {
  if (!published || !toDate) return undefined;
  const a = Date.parse(published);
  const b = Date.parse(toDate);
  return Number.isNaN(a) || Number.isNaN(b) ? undefined : Math.floor((b - a) / DAY);
}

function bytes(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)} MB`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(1)} kB`;
  return `${n} B`;
}

function list(items: readonly string[], max: number): string {
  return items.slice(0, max).join(', ') + (items.length > max ? `, +${items.length - max} more` : '');
}

function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
