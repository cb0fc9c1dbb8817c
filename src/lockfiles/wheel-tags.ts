// https://packaging.python.org/en/latest/specifications/binary-distribution-format/#file-name-convention
export { normalizePythonName } from '../versions/pep440.js';

/**
 * Whether a wheel file name (or a URL ending in one) is built for one platform:
 * `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl` with a platform other than `any`.
 * Source distributions and pure wheels say nothing about native code.
 */
export function isPlatformWheel(fileOrUrl: string): boolean {
  const end = fileOrUrl.search(/[?#]/);
  const file = end < 0 ? fileOrUrl : fileOrUrl.slice(0, end);
  if (!file.endsWith('.whl')) return false;
  const base = file.slice(file.lastIndexOf('/') + 1, -4);
  // name-version[-build]-python-abi-platform: at least four dashes before the platform tag.
  if (base.split('-', 6).length < 5) return false;
  return base.slice(base.lastIndexOf('-') + 1) !== 'any';
}

/** True when any of the files is a platform wheel; undefined (not false) otherwise, so facts stay compact. */
export function nativeFromFiles(files: Iterable<string>): true | undefined {
  for (const f of files) if (isPlatformWheel(f)) return true;
  return undefined;
}
