// https://packaging.python.org/en/latest/specifications/binary-distribution-format/#file-name-convention
export { normalizePythonName } from '../versions/pep440.js';

/**
 * Whether a wheel file name (or a URL ending in one) is built for one platform:
 * `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl` with a platform other than `any`.
 * Source distributions and pure wheels say nothing about native code.
 */
export function isPlatformWheel(fileOrUrl: string): boolean {
  const file = fileOrUrl.slice(fileOrUrl.lastIndexOf('/') + 1).split(/[?#]/)[0] ?? '';
  if (!file.endsWith('.whl')) return false;
  const parts = file.slice(0, -4).split('-');
  if (parts.length < 5) return false;
  const platform = parts[parts.length - 1] ?? 'any';
  return platform !== 'any';
}

/** True when any of the files is a platform wheel; undefined (not false) otherwise, so facts stay compact. */
export function nativeFromFiles(files: Iterable<string>): true | undefined {
  for (const f of files) if (isPlatformWheel(f)) return true;
  return undefined;
}
