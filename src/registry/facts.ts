/** One file of a PyPI release, as its JSON API lists it (here, not in pypi.ts, so that the two do not import each other). */
export interface PypiFile { filename: string; url: string; sha256?: string; size?: number }
// What reldiff keeps of a registry document: the few fields the signals read, per version. This is also the
// cache format, so a warm run parses kilobytes, not a full packument.

export interface RegistryVersion {
  /** ISO date of publication. */
  published?: string;
  deprecated?: string;
  /** Set for a yanked PyPI release: the reason, or '' when none was given. */
  yanked?: string;
  /** Runtime dependency names (dependencies + optionalDependencies), sorted. */
  dependencies: string[];
  /** preinstall / install / postinstall, as published. */
  installScripts: Record<string, string>;
  /** Why this version is native code, each a short phrase; empty when nothing says so. */
  native: string[];
  unpackedSize?: number;
  fileCount?: number;
  maintainers: string[];
  publisher?: string;
  tarball?: string;
  integrity?: string;
  /** `https://github.com/<owner>/<repo>` when the manifest or the project URLs name one (release notes live there). */
  repository?: string;
  /** Version headings and quotable lines of this version's readme or long description (release-notes.ts). */
  notes?: string[];
  /** PyPI only, from the release document: the distribution files, for the look-inside. */
  files?: PypiFile[];
}

export interface RegistryPackage {
  /** Bumped when the trimmed shape changes, so old cache files are refetched. */
  format: 2;
  name: string;
  keywords: string[];
  versions: Record<string, RegistryVersion>;
}

export const FACTS_FORMAT = 2;

export function isRegistryPackage(value: unknown): value is RegistryPackage {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return record['format'] === FACTS_FORMAT && typeof record['name'] === 'string' && Array.isArray(record['keywords'])
    && typeof record['versions'] === 'object' && record['versions'] !== null;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
