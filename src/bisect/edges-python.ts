import { satisfies, validRange } from '@renovatebot/pep440';
import { readToml, str, tables, type Table } from '../lockfiles/toml.js';
import { normalizePythonName } from '../lockfiles/wheel-tags.js';
import type { FormatId } from '../types.js';
import type { EdgeRules, Requires } from './deps-plan.js';

// What the Python locks' edges share: PEP 503 names and PEP 440 specifiers. A dependency the lock lists more than
// once (one constraint per Python or platform) is written `a || b`: the old version is fine if it meets any of them,
// since it is then installable somewhere the lock covers and a trial there does not need the new one.

export const ANY_OF = ' || ';

export const pythonRules = (source: string): EdgeRules => ({
  key: normalizePythonName,
  satisfies: (version, range) => range.split(ANY_OF).some(one => meets(version, one.trim())),
  source,
});

/**
 * `*`, nothing, or a specifier PEP 440 cannot read (a poetry-only `^1.2`, say) is taken as met: unlike npm, a Python
 * trial installs with --no-deps and never tells a refused mix by a skip, so a wrong group would only cost runs, and a
 * group formed from an edge nobody can read would say something the lock does not.
 */
function meets(version: string, range: string): boolean {
  const spec = range.replace(/^\((.*)\)$/, '$1').trim();
  if (spec === '' || spec === '*') return true;
  try {
    // A prerelease installed before already met whatever asked for it: pip would not move it for the range alone.
    return !validRange(spec) || satisfies(version, spec, { prereleases: true });
  } catch {
    return true;
  }
}

/** Adds a constraint on `dep` to a package's edges, keeping one that is already there as an alternative. */
export function addEdge(edges: Record<string, string>, dep: string, range: string): void {
  const key = normalizePythonName(dep);
  const before = edges[key];
  edges[key] = before === undefined ? range : before.split(ANY_OF).includes(range) ? before : `${before}${ANY_OF}${range}`;
}

/** `name[extra] (>=1,<2) ; marker` or `name>=1 ; marker`, as pdm.lock and requires-dist write it: the name and the specifier. */
export function pep508Requirement(requirement: string): { name: string; specifier: string } | undefined {
  const m = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*([^;@]*)/.exec(requirement);
  if (!m?.[1]) return undefined;
  return { name: m[1], specifier: (m[2] ?? '').trim().replace(/^\((.*)\)$/, '$1').trim() };
}

/**
 * The edges of every `[[package]]` of a TOML lock, keyed `name@version`; `edgesOf` reads one package's. One name
 * locked twice in one version (once per Python) keeps both copies' edges, as alternatives. Text that is not TOML
 * gives none: the trials' skips still find the groups, only more slowly.
 */
export function tomlPackageEdges(lockText: string | undefined, format: FormatId, edgesOf: (entry: Table) => Record<string, string>): Requires {
  const out = new Map<string, Record<string, string>>();
  if (lockText === undefined) return out;
  const doc = readToml(lockText, format, format, '');
  if (!doc.ok) return out;
  for (const entry of tables(doc.table.package)) {
    const name = str(entry.name);
    const version = str(entry.version);
    if (!name || !version) continue;
    const edges = edgesOf(entry);
    const key = `${normalizePythonName(name)}@${version}`;
    const before = out.get(key);
    if (before) for (const [dep, range] of Object.entries(edges)) for (const one of range.split(ANY_OF)) addEdge(before, dep, one);
    else out.set(key, edges);
  }
  return out;
}
