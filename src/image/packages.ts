import { sortPackages } from '../lockfiles/util.js';
import type { DependencySet, Ecosystem, LockedPackage } from '../types.js';
import type { ImageLayout } from './layout.js';
import { apkInstalledPackages, dpkgStatusPackages } from './os-packages.js';
import { MEMORY_ENV } from '../runtimes/signals.js';
import { MARKERS } from './wanted.js';

// What an image runs, from the files its layers leave visible: one dependency set per ecosystem.

const dirOf = (path: string): string => path.slice(0, path.lastIndexOf('/'));

/** `Name:` and `Version:` of core metadata (https://packaging.python.org/en/latest/specifications/core-metadata/). */
function pythonMetadata(text: string): { name: string; version: string } | undefined {
  let name: string | undefined;
  let version: string | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') break;
    const m = /^(Name|Version):\s*(.+?)\s*$/i.exec(line);
    if (m?.[1]?.toLowerCase() === 'name') name = m[2];
    else if (m) version = m[2];
  }
  return name && version ? { name, version } : undefined;
}

function nodePackage(text: string): { name: string; version: string } | undefined {
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json !== 'object' || json === null) return undefined;
    const { name, version } = json as Record<string, unknown>;
    return typeof name === 'string' && typeof version === 'string' ? { name, version } : undefined;
  } catch {
    return undefined;
  }
}

const pkg = (name: string, version: string, installPath: string, native = false): LockedPackage =>
  ({ name, version, direct: false, dev: false, installPath, facts: native ? { native: true } : {} });

/** The OS packages (Debian, Alpine, RPM names) that ship each C library and allocator a marker finds. */
const LIBRARY_PACKAGES: Record<string, readonly string[]> = {
  glibc: ['libc6', 'glibc'],
  musl: ['musl'],
  jemalloc: ['libjemalloc2', 'jemalloc'],
  tcmalloc: ['libtcmalloc-minimal4', 'libgoogle-perftools4', 'gperftools-libs', 'tcmalloc'],
  mimalloc: ['libmimalloc2.0', 'libmimalloc2', 'mimalloc'],
};

function runtimePackages(files: ReadonlyMap<string, string>, layout: ImageLayout, os: LockedPackage[]): LockedPackage[] {
  const env = new Map(layout.config.env.map(e => [e.slice(0, e.indexOf('=') < 0 ? e.length : e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  const out: LockedPackage[] = [];
  // An epoch (1:20.11.1-1.fc39) orders a distribution's builds; the runtime's own version is what follows it.
  const osVersion = (...names: string[]): string | undefined => {
    const version = names.map(name => os.find(p => p.name === name)?.version).find(v => v !== undefined);
    return version?.replace(/^\d+:/, '');
  };
  const pythons = new Map<string, LockedPackage>();
  for (const [path, text] of files) {
    const header = /include\/python(\d+\.\d+)[a-z]*\/patchlevel\.h$/.exec(path);
    const full = header ? /#define\s+PY_VERSION\s+"([^"]+)"/.exec(text)?.[1] : undefined;
    if (header && full) pythons.set(header[1] ?? '', pkg('python', full, dirOf(path)));
  }
  for (const path of files.keys()) {
    const stdlib = /(^|\/)lib(64)?\/python(\d+\.\d+)\/os\.py$/.exec(path);
    const minor = stdlib?.[3];
    if (!minor || pythons.has(minor)) continue;
    // The official images say the patch level in PYTHON_VERSION; a distribution's Python, its package; else the
    // stdlib folder names the minor.
    const fromEnv = env.get('PYTHON_VERSION');
    const fedora = osVersion('python3');
    const packaged = osVersion(`python${minor}-minimal`) ?? osVersion(`python${minor}`) ?? (fedora?.startsWith(`${minor}.`) ? fedora : undefined);
    pythons.set(minor, pkg('python', fromEnv?.startsWith(`${minor}.`) ? fromEnv : packaged ?? minor, dirOf(path)));
  }
  for (const p of pythons.values()) out.push(p);
  const nodeHeader = [...files].find(([p]) => /include\/node\/node_version\.h$/.test(p));
  const nodeVersion = nodeHeader
    ? ['MAJOR', 'MINOR', 'PATCH'].map(k => new RegExp(`#define\\s+NODE_${k}_VERSION\\s+(\\d+)`).exec(nodeHeader[1])?.[1]).join('.')
    : undefined;
  const nodeBinary = [...files.keys()].find(p => /(^|\/)bin\/node$/.test(p));
  if (nodeVersion && !nodeVersion.includes('undefined')) out.push(pkg('node', nodeVersion, nodeHeader?.[0] ?? ''));
  else if (nodeBinary) out.push(pkg('node', env.get('NODE_VERSION') ?? osVersion('nodejs') ?? 'present', nodeBinary));
  for (const marker of MARKERS) {
    if (marker.id === 'python-stdlib' || marker.id === 'node-binary' || marker.id === 'rpmdb') continue;
    const path = [...files.keys()].filter(p => marker.pattern.test(p)).sort()[0];
    if (!path) continue;
    const fromName = /libc-(\d+\.\d+)\.so$/.exec(path)?.[1];
    const version = osVersion(...(LIBRARY_PACKAGES[marker.id] ?? [])) ?? (marker.id === 'glibc' ? fromName : undefined) ?? 'present';
    out.push(pkg(marker.id, version, path));
  }
  for (const [name, value] of env) if (MEMORY_ENV.test(name)) out.push(pkg(`env:${name}`, value, 'config Env'));
  const osRelease = files.get('etc/os-release') ?? files.get('usr/lib/os-release');
  const field = (key: string): string | undefined => osRelease === undefined ? undefined
    : new RegExp(`^${key}=["']?([^"'\\n]*)["']?$`, 'm').exec(osRelease)?.[1];
  const distro = field('ID');
  if (distro) out.push(pkg(`os:${distro}`, field('VERSION_ID') ?? field('VERSION_CODENAME') ?? 'rolling', 'os-release'));
  const base = layout.annotations['org.opencontainers.image.base.name'] ?? layout.config.labels['org.opencontainers.image.base.name'];
  if (base) {
    const digest = layout.annotations['org.opencontainers.image.base.digest'] ?? layout.config.labels['org.opencontainers.image.base.digest'];
    const at = base.lastIndexOf(':') > base.lastIndexOf('/') ? base.lastIndexOf(':') : -1;
    const name = (at < 0 ? base : base.slice(0, at)).replace(/^docker\.io\//, '').replace(/^library\//, '');
    out.push({ name: `image:${name}`, version: at < 0 ? 'latest' : base.slice(at + 1), direct: true, dev: false, installPath: 'base image label',
      facts: digest ? { integrity: digest } : {} });
  } else {
    // Without a label, the first layer's ADD names the base image's root file system.
    const rootfs = layout.config.history.map(h => /ADD file:([0-9a-f]{12})[0-9a-f]* in \/\s*$/.exec(h.createdBy)?.[1]).find(x => x !== undefined);
    if (rootfs) out.push(pkg('base-rootfs', `file:${rootfs}`, 'history'));
  }
  return out.map(p => ({ ...p, direct: true }));
}

/**
 * The dependency sets of one image: pypi, npm, deb, apk, rpm and runtime (empty ones left out). `rpm`: the packages of
 * its rpmdb.sqlite, read beforehand since SQLite is read asynchronously (rpmdb-sqlite.ts).
 */
export function imageDependencySets(files: ReadonlyMap<string, string>, layout: ImageLayout, label: string, rpm: readonly LockedPackage[] = []): DependencySet[] {
  const byEcosystem = new Map<Ecosystem, LockedPackage[]>([['pypi', []], ['npm', []], ['deb', []], ['apk', []], ['rpm', [...rpm]]]);
  const add = (ecosystem: Ecosystem, p: LockedPackage): void => {
    byEcosystem.get(ecosystem)?.push(p);
  };
  for (const [path, text] of files) {
    if (/\.(dist|egg)-info(\/(METADATA|PKG-INFO))?$/.test(path)) {
      const meta = pythonMetadata(text);
      const dir = /\.(dist|egg)-info$/.test(path) ? path : dirOf(path);
      if (meta) add('pypi', pkg(meta.name, meta.version, dir, files.get(`${dir}/RECORD`) === 'native'));
    } else if (path.endsWith('/package.json')) {
      const node = nodePackage(text);
      if (node) add('npm', pkg(node.name, node.version, dirOf(path)));
    } else if (path.startsWith('var/lib/dpkg/status')) {
      for (const p of dpkgStatusPackages(text, path)) add('deb', p);
    } else if (path === 'lib/apk/db/installed') {
      for (const p of apkInstalledPackages(text, path)) add('apk', p);
    }
  }
  const os = [...(byEcosystem.get('deb') ?? []), ...(byEcosystem.get('apk') ?? []), ...rpm];
  byEcosystem.set('runtime', runtimePackages(files, layout, os));
  const sets: DependencySet[] = [];
  for (const [ecosystem, packages] of byEcosystem) {
    if (packages.length > 0) sets.push({ format: 'image-archive', ecosystem, path: label, packages: sortPackages(packages) });
  }
  return sets;
}
