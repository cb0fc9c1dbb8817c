// Which paths inside an image layer reldiff keeps: package metadata as text, and the few files whose presence alone
// tells a runtime apart (an interpreter's stdlib, a C library, an allocator). Everything else is skipped unread.

export type Want = 'text' | 'record' | 'marker';

const TEXT: readonly RegExp[] = [
  /(^|\/)(site|dist)-packages\/[^/]+\.dist-info\/METADATA$/,
  /(^|\/)(site|dist)-packages\/[^/]+\.egg-info(\/PKG-INFO)?$/,
  /(^|\/)node_modules\/(@[^/]+\/)?[^/]+\/package\.json$/,
  /^var\/lib\/dpkg\/status$/,
  // Distroless images keep one status file per package.
  /^var\/lib\/dpkg\/status\.d\/[^/]+$/,
  /^lib\/apk\/db\/installed$/,
  /(^|\/)include\/python\d+\.\d+[a-z]*\/patchlevel\.h$/,
  /(^|\/)include\/node\/node_version\.h$/,
  // The distribution and its release (Debian links etc/ to usr/lib/; the regular file is the one read).
  /^(etc|usr\/lib)\/os-release$/,
];

const RECORD = /(^|\/)(site|dist)-packages\/[^/]+\.dist-info\/RECORD$/;

export const MARKERS: readonly { id: string; pattern: RegExp }[] = [
  { id: 'python-stdlib', pattern: /(^|\/)lib\/python(\d+\.\d+)\/os\.py$/ },
  { id: 'node-binary', pattern: /(^|\/)bin\/node$/ },
  { id: 'jemalloc', pattern: /(^|\/)libjemalloc\.so[.\d]*$/ },
  { id: 'tcmalloc', pattern: /(^|\/)libtcmalloc(_minimal)?\.so[.\d]*$/ },
  { id: 'mimalloc', pattern: /(^|\/)libmimalloc\.so[.\d]*$/ },
  { id: 'glibc', pattern: /(^|\/)(libc\.so\.6|libc-\d+\.\d+\.so)$/ },
  { id: 'musl', pattern: /(^|\/)ld-musl-[^/]+\.so\.1$/ },
  // Fedora, RHEL/UBI and SUSE keep their packages in a SQLite, Berkeley DB or NDB file that reldiff does not read.
  { id: 'rpmdb', pattern: /^(var\/lib\/rpm|usr\/lib\/sysimage\/rpm)\/(rpmdb\.sqlite|Packages|Packages\.db)$/ },
];

/** `path` without a leading `./` or `/`. */
export function wantOf(path: string, isDirectory: boolean): Want | undefined {
  if (isDirectory) return undefined;
  if (TEXT.some(p => p.test(path))) return 'text';
  if (RECORD.test(path)) return 'record';
  if (MARKERS.some(m => m.pattern.test(path))) return 'marker';
  return undefined;
}

/** A RECORD that lists a compiled module: the distribution ships native code (`.so`, `.pyd`, `.dylib`). */
export function recordHasNative(text: string): boolean {
  return /^[^,\n]+\.(so|pyd|dylib)(\.[\w.]+)?,/m.test(text);
}
