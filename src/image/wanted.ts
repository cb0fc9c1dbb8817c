// Which paths inside an image layer reldiff keeps: package metadata as text, and the few files whose presence alone
// tells a runtime apart (an interpreter's stdlib, a C library, an allocator). Everything else is skipped unread.

export type Want = 'text' | 'record' | 'marker' | 'binary';

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

/** rpm >= 4.16's database (Fedora 33+, RHEL/UBI 9, Amazon Linux 2023); Fedora links var/lib/rpm to the sysimage one. */
export const RPMDB_SQLITE = /^(var\/lib\/rpm|usr\/lib\/sysimage\/rpm)\/rpmdb\.sqlite$/;
/** The Berkeley DB form before it (RHEL 7/8, CentOS, Amazon Linux 2). */
export const RPMDB_BDB = /^(var\/lib\/rpm|usr\/lib\/sysimage\/rpm)\/Packages$/;

export const MARKERS: readonly { id: string; pattern: RegExp }[] = [
  // Fedora and RHEL put the standard library under lib64.
  { id: 'python-stdlib', pattern: /(^|\/)lib(64)?\/python(\d+\.\d+)\/os\.py$/ },
  { id: 'node-binary', pattern: /(^|\/)bin\/node$/ },
  { id: 'jemalloc', pattern: /(^|\/)libjemalloc\.so[.\d]*$/ },
  { id: 'tcmalloc', pattern: /(^|\/)libtcmalloc(_minimal)?\.so[.\d]*$/ },
  { id: 'mimalloc', pattern: /(^|\/)libmimalloc\.so[.\d]*$/ },
  { id: 'glibc', pattern: /(^|\/)(libc\.so\.6|libc-\d+\.\d+\.so)$/ },
  { id: 'musl', pattern: /(^|\/)ld-musl-[^/]+\.so\.1$/ },
  // SUSE keeps its packages in rpm's NDB form, which reldiff does not read.
  { id: 'rpmdb', pattern: /^(var\/lib\/rpm|usr\/lib\/sysimage\/rpm)\/Packages\.db$/ },
];

/** `path` without a leading `./` or `/`. */
export function wantOf(path: string, isDirectory: boolean): Want | undefined {
  if (isDirectory) return undefined;
  if (TEXT.some(p => p.test(path))) return 'text';
  if (RECORD.test(path)) return 'record';
  if (RPMDB_SQLITE.test(path) || RPMDB_BDB.test(path)) return 'binary';
  if (MARKERS.some(m => m.pattern.test(path))) return 'marker';
  return undefined;
}

/** A RECORD that lists a compiled module: the distribution ships native code (`.so`, `.pyd`, `.dylib`). */
export function recordHasNative(text: string): boolean {
  return /^[^,\n]+\.(so|pyd|dylib)(\.[\w.]+)?,/m.test(text);
}
