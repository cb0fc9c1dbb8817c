import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { InstallPin, InstallSet } from '../lockfiles/install-pins.js';
import { pdmInstallSet } from '../lockfiles/pdm-lock.js';
import { pipfileInstallSet } from '../lockfiles/pipfile-lock.js';
import { poetryInstallSet } from '../lockfiles/poetry-lock.js';
import { uvInstallSet } from '../lockfiles/uv-lock.js';
import { normalizePythonName } from '../lockfiles/wheel-tags.js';
import type { FormatId, Parsed } from '../types.js';
import { cleanLine } from '../util/control-chars.js';
import type { Upgrade } from './deps-plan.js';
import { lockIndexUrls } from './deps-indexes.js';
import type { PinSource } from './deps-pip.js';

// Trial pins of a Python lock (poetry.lock, uv.lock, Pipfile.lock, pdm.lock): what a plain install of the from lock
// puts into an environment (each format's parser says what that is), with every upgraded package's pins taken from
// the to lock instead: its version, and its marker and source as the to lock has them.

const installSets: Partial<Record<FormatId, (text: string, path: string) => Parsed<InstallSet>>> = {
  'poetry-lock': poetryInstallSet, 'uv-lock': uvInstallSet, 'pipfile-lock': pipfileInstallSet, 'pdm-lock': pdmInstallSet,
};

export function hasLockPins(format: FormatId | undefined): boolean {
  return format !== undefined && installSets[format] !== undefined;
}

/** The trial's pins: from's install set with each upgraded package's pins replaced by to's (or `name==to` when to has none). */
export function mergePins(from: InstallSet, to: InstallSet | undefined, upgrades: readonly Upgrade[]): InstallPin[] {
  const moved = new Map(upgrades.map(u => [normalizePythonName(u.name), u]));
  const pins = from.pins.filter(p => !moved.has(normalizePythonName(p.name)));
  const leftOutAtTo = new Set((to?.excluded ?? []).map(normalizePythonName));
  const leftOutAtFrom = new Set(from.excluded.map(normalizePythonName));
  for (const [key, u] of moved) {
    const target = to?.pins.filter(p => normalizePythonName(p.name) === key) ?? [];
    if (target.length > 0) { pins.push(...target); continue; }
    // The to lock's plain install leaves it out (an extra, a skipped group): so does the trial that moves it.
    if (leftOutAtTo.has(key)) continue;
    const before = from.pins.filter(p => normalizePythonName(p.name) === key);
    if (before.length > 0) pins.push(...before.map(p => ({ name: p.name, version: u.to, ...(p.marker ? { marker: p.marker } : {}) })));
    else if (!leftOutAtFrom.has(key)) pins.push({ name: u.name, version: u.to });
  }
  return pins;
}

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
// A value that could end the line or start an option would let a lockfile write pip options into the pin file.
const UNSAFE = /[\x00-\x1f\x7f]/;

/** `name==version ; marker`, `name @ url ; marker`; a path source as a file: URL under the lockfile's folder. */
export function renderPins(pins: readonly InstallPin[], lockDir: string): { ok: true; text: string } | { ok: false; reason: string } {
  const lines = new Set<string>();
  for (const p of pins) {
    const bad = !NAME.test(p.name) || [p.version, p.marker ?? '', p.url ?? '', p.path ?? ''].some(v => UNSAFE.test(v))
      || (!p.url && !p.path && !/^[^\s;#\\,<>=!~]+$/.test(p.version));
    if (bad) return { ok: false, reason: `the lock's entry for ${cleanLine(p.name).slice(0, 80)} ${cleanLine(p.version).slice(0, 80)} cannot be written as a pin` };
    const where = p.url ?? (p.path !== undefined ? pathToFileURL(resolve(lockDir, p.path)).href : undefined);
    const head = where !== undefined ? `${p.name} @ ${where}` : `${p.name}==${p.version}`;
    lines.add(p.marker ? `${head} ; ${p.marker}` : head);
  }
  return { ok: true, text: `${[...lines].sort().join('\n')}\n` };
}

/** How bisect --deps reads the trial pins of a lock of `format`; `readTo` gives the to lock, for the upgraded packages' pins. */
export function lockPinSource(format: FormatId, lockfile: string, readTo: () => Promise<string | undefined>): PinSource {
  const read = installSets[format];
  if (!read) throw new Error(`no install set for ${format}`);
  const cache = new Map<string, Parsed<InstallSet>>();
  const setOf = (text: string): Parsed<InstallSet> => {
    const known = cache.get(text);
    if (known) return known;
    const parsed = read(text, lockfile);
    cache.set(text, parsed);
    return parsed;
  };
  const indexCache = new Map<string, string[]>();
  const indexesOf = (text: string): string[] => {
    const known = indexCache.get(text) ?? lockIndexUrls(format, text);
    indexCache.set(text, known);
    return known;
  };
  let toText: Promise<string | undefined> | undefined;
  const readToOnce = (): Promise<string | undefined> => (toText ??= readTo().catch(() => undefined));
  let to: Promise<Parsed<InstallSet> | undefined> | undefined;
  return async (fromText, upgrades, lockDir) => {
    const from = setOf(fromText);
    if (!from.ok) return { ok: false, reason: from.error.message };
    to ??= readToOnce().then(text => (text === undefined ? undefined : setOf(text)));
    const toSet = await to;
    if (toSet && !toSet.ok) return { ok: false, reason: toSet.error.message };
    const rendered = renderPins(mergePins(from.value, toSet?.value, upgrades), lockDir);
    // Both locks' indexes: an upgraded package may come from an index only the to lock names.
    const toIndexes = await readToOnce().then(text => indexesOf(text ?? ''));
    const indexes = [...new Set([...indexesOf(fromText), ...toIndexes])].sort();
    return rendered.ok && indexes.length > 0 ? { ...rendered, indexes } : rendered;
  };
}
