import { normalizePythonName } from './wheel-tags.js';

// What a plain install of a Python lock (poetry install, uv sync, pipenv sync --dev, pdm install) puts into an
// environment, as one pin per package: bisect --deps installs these with `pip install --no-deps`, so the set must be
// the lock's own, markers included. Each lock's parser file derives its pins; the helpers they share live here.

export interface InstallPin {
  /** As the lock writes it. */
  name: string;
  version: string;
  /** PEP 508 environment marker: the package is installed only where it holds. */
  marker?: string;
  /** Installed from here instead of the index: a direct URL (`git+https://...@<commit>`, an archive's URL)... */
  url?: string;
  /** ...or a file or folder, relative to the lockfile's folder. */
  path?: string;
}

export interface InstallSet {
  pins: InstallPin[];
  /** Normalised names the lock holds that a plain install leaves out (extras, groups the tool skips by default). */
  excluded: string[];
}

/** Either marker holds; undefined (always) when any of them is. */
export function anyMarker(markers: readonly (string | undefined)[]): string | undefined {
  if (markers.length === 0 || markers.some(m => m === undefined || m.trim() === '')) return undefined;
  const unique = [...new Set(markers.map(m => (m as string).trim()))].sort();
  return unique.length === 1 ? unique[0] : unique.map(m => `(${m})`).join(' or ');
}

/** An edge of the lock's graph: to a package under a marker; `version` is what the edge asks for (uv.lock: the version, poetry.lock: a constraint). */
export interface PinEdge { name: string; version?: string; marker?: string }

/**
 * Markers of packages that the lock gives only on the edges that lead to them (uv.lock, poetry.lock before 2.1, old
 * pdm.lock): a package is installed where any edge to it holds. The parent's own marker is not carried down: that
 * errs towards installing a package in more places, never fewer, and pip skips a pin whose marker fails anyway.
 */
export function markersFromEdges(edges: readonly PinEdge[]): Map<string, string | undefined> {
  const incoming = new Map<string, (string | undefined)[]>();
  for (const e of edges) {
    const key = normalizePythonName(e.name);
    incoming.set(key, [...(incoming.get(key) ?? []), e.marker]);
  }
  return new Map([...incoming].map(([k, ms]) => [k, anyMarker(ms)]));
}

/** `name[extra] (>=1) ; marker` of a PEP 508 string as pdm writes dependencies. */
export function pep508Edge(requirement: string): PinEdge | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)[^;]*(?:;(.*))?$/.exec(requirement);
  if (!m?.[1]) return undefined;
  const marker = m[2]?.trim();
  return { name: m[1], ...(marker ? { marker } : {}) };
}

export function sortPins(pins: InstallPin[]): InstallPin[] {
  return pins.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}
