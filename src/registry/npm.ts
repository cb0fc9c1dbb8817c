// https://github.com/npm/registry/blob/main/docs/REGISTRY-API.md (packument and version objects)
import { asNumber, asRecord, asString, byString, FACTS_FORMAT, stringList } from './facts.js';
import type { RegistryPackage, RegistryVersion } from './facts.js';
import { githubRepository } from './pypi.js';
import { keptNoteLines } from './release-notes.js';

/** Dependencies that only exist to build or load a native addon. */
export const NATIVE_DEPENDENCIES = [
  '@mapbox/node-pre-gyp', 'bindings', 'cmake-js', 'nan', 'node-addon-api', 'node-gyp', 'node-gyp-build',
  'node-pre-gyp', 'prebuild-install', 'prebuildify',
];

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];
// sharp >= 0.33 and the napi-rs family ship their binaries as per-platform optional dependencies.
const PLATFORM_PACKAGE = /[-/](linux|darwin|win32|freebsd|android)-(x64|arm64|ia32|arm|s390x|ppc64|riscv64)\b/;

/** Trims a full packument (JSON already parsed) to the facts reldiff uses; undefined when it is not one. */
export function slimPackument(json: unknown, requested: string): RegistryPackage | undefined {
  const doc = asRecord(json);
  const versions = asRecord(doc?.['versions']);
  if (!doc || !versions) return undefined;
  const time = asRecord(doc['time']) ?? {};
  const out: Record<string, RegistryVersion> = {};
  for (const [version, manifest] of Object.entries(versions)) {
    const slim = slimVersion(asRecord(manifest) ?? {}, asString(time[version]));
    out[version] = slim;
  }
  const latest = asString(asRecord(doc['dist-tags'])?.['latest']);
  // The packument's readme is the latest version's: some packages keep their release notes there.
  const readme = asString(doc['readme']);
  const latestSlim = latest ? out[latest] : undefined;
  if (latestSlim && readme) {
    const notes = keptNoteLines(readme);
    if (notes.length > 0) latestSlim.notes = notes;
  }
  const latestManifest = latest ? asRecord(versions[latest]) : undefined;
  const keywords = stringList(latestManifest?.['keywords'] ?? doc['keywords']).map(k => k.toLowerCase()).sort(byString);
  return { format: FACTS_FORMAT, name: asString(doc['name']) ?? requested, keywords: [...new Set(keywords)], versions: out };
}

function slimVersion(manifest: Record<string, unknown>, published: string | undefined): RegistryVersion {
  const deps = Object.keys(asRecord(manifest['dependencies']) ?? {});
  const optional = Object.keys(asRecord(manifest['optionalDependencies']) ?? {});
  const scripts = asRecord(manifest['scripts']) ?? {};
  const installScripts: Record<string, string> = {};
  for (const name of INSTALL_SCRIPTS) {
    const script = asString(scripts[name]);
    if (script !== undefined) installScripts[name] = script;
  }
  const dist = asRecord(manifest['dist']) ?? {};
  const deprecated = asString(manifest['deprecated']);
  const publisher = asString(asRecord(manifest['_npmUser'])?.['name']);
  const unpackedSize = asNumber(dist['unpackedSize']);
  const fileCount = asNumber(dist['fileCount']);
  const tarball = asString(dist['tarball']);
  const integrity = asString(dist['integrity']) ?? asString(dist['shasum']);
  const repositoryField = manifest['repository'];
  const repository = githubRepository(asString(repositoryField) ?? asString(asRecord(repositoryField)?.['url']));
  return {
    ...(published ? { published } : {}),
    ...(deprecated ? { deprecated } : {}),
    dependencies: [...new Set([...deps, ...optional])].sort(byString),
    installScripts,
    native: nativeEvidence(manifest, deps, optional),
    ...(unpackedSize !== undefined ? { unpackedSize } : {}),
    ...(fileCount !== undefined ? { fileCount } : {}),
    maintainers: maintainerNames(manifest['maintainers']),
    ...(publisher ? { publisher } : {}),
    ...(tarball ? { tarball } : {}),
    ...(integrity ? { integrity } : {}),
    ...(repository ? { repository } : {}),
  };
}

function nativeEvidence(manifest: Record<string, unknown>, deps: string[], optional: string[]): string[] {
  const evidence: string[] = [];
  if (manifest['gypfile'] === true) evidence.push('gypfile (binding.gyp)');
  for (const dep of deps) if (NATIVE_DEPENDENCIES.includes(dep)) evidence.push(`depends on ${dep}`);
  const platforms = optional.filter(name => PLATFORM_PACKAGE.test(name));
  if (platforms.length > 0) evidence.push(`${platforms.length} per-platform binary packages`);
  return evidence.sort(byString);
}

function maintainerNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names = value.map(item => (typeof item === 'string' ? item.replace(/\s*<.*$/, '') : asString(asRecord(item)?.['name'])));
  return [...new Set(names.filter((n): n is string => !!n))].sort(byString);
}

/** The packument path: scoped names keep the `@` and escape the slash, as the npm CLI does. */
export function packumentPath(name: string): string {
  const slash = name.indexOf('/');
  if (!name.startsWith('@') || slash < 0) return encodeURIComponent(name);
  return `@${encodeURIComponent(name.slice(1, slash))}%2f${encodeURIComponent(name.slice(slash + 1))}`;
}
