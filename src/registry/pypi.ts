// https://docs.pypi.org/api/json/ (project and release endpoints)
import { isPlatformWheel } from '../lockfiles/wheel-tags.js';
import { normalizePythonName } from '../versions/pep440.js';
import { asRecord, asString, byString, FACTS_FORMAT, stringList } from './facts.js';
import type { PypiFile, RegistryPackage, RegistryVersion } from './facts.js';
import { keptNoteLines } from './release-notes.js';

export interface PypiIndex {
  /** Base URL without credentials and without a trailing slash, e.g. `https://pypi.org`. */
  base: string;
  /** `Basic …` from credentials in the configured URL; sent to this host only. */
  authorization?: string;
  secrets: string[];
}

/** `--pypi-url`, else PIP_INDEX_URL (its `/simple` suffix dropped: the JSON API sits beside it), else pypi.org. */
export function resolvePypiIndex(flag: string | undefined, env: Record<string, string | undefined>): PypiIndex {
  const raw = flag ?? env['PIP_INDEX_URL'] ?? 'https://pypi.org';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { base: 'https://pypi.org', secrets: [] };
  }
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const base = url.toString().replace(/\/+$/, '').replace(/\/simple$/, '').replace(/\/pypi$/, '');
  if (!user && !password) return { base, secrets: [] };
  const token = Buffer.from(`${user}:${password}`).toString('base64');
  return { base, authorization: `Basic ${token}`, secrets: [user, password, token].filter(s => s.length >= 4) };
}

export function projectUrl(index: PypiIndex, name: string): string {
  return `${index.base}/pypi/${encodeURIComponent(normalizePythonName(name))}/json`;
}

export function releaseUrl(index: PypiIndex, name: string, version: string): string {
  return `${index.base}/pypi/${encodeURIComponent(normalizePythonName(name))}/${encodeURIComponent(version)}/json`;
}

/** Trims the project document; per-version dependencies and authors come from `slimRelease`. */
export function slimProject(json: unknown, requested: string): RegistryPackage | undefined {
  const doc = asRecord(json);
  const releases = asRecord(doc?.['releases']);
  if (!doc || !releases) return undefined;
  const info = asRecord(doc['info']) ?? {};
  const versions: Record<string, RegistryVersion> = {};
  for (const [version, files] of Object.entries(releases)) {
    versions[version] = slimFiles(Array.isArray(files) ? files : []);
  }
  const keywords = (asString(info['keywords']) ?? '').toLowerCase().split(/[,\s]+/).filter(k => k.length > 1);
  return { format: FACTS_FORMAT, name: asString(info['name']) ?? requested, keywords: [...new Set(keywords)].sort(byString), versions };
}

function slimFiles(files: unknown[]): RegistryVersion {
  const records = files.map(asRecord).filter((f): f is Record<string, unknown> => f !== undefined);
  const times = records.map(f => asString(f['upload_time_iso_8601']) ?? asString(f['upload_time'])).filter((t): t is string => !!t).sort(byString);
  const names = records.map(f => asString(f['filename']) ?? '');
  const wheels = names.filter(isPlatformWheel).sort(byString);
  const isYanked = records.length > 0 && records.every(f => f['yanked'] === true);
  const reason = records.map(f => asString(f['yanked_reason'])).find(r => !!r) ?? '';
  return {
    ...(times[0] ? { published: times[0] } : {}),
    ...(isYanked ? { yanked: reason } : {}),
    dependencies: [],
    installScripts: {},
    native: wheels.length > 0 ? [`${wheels.length} platform wheels (${wheelTag(wheels[0] ?? '')})`] : [],
    ...(records.length > 0 ? { fileCount: records.length } : {}),
    maintainers: [],
  };
}

function wheelTag(file: string): string {
  const parts = file.replace(/\.whl$/, '').split('-');
  return parts.slice(-3).join('-');
}

/** One distribution file of a release, as the look-inside needs it. */
export type { PypiFile };

export interface PypiRelease {
  dependencies: string[];
  maintainers: string[];
  files: PypiFile[];
  /** Version headings and quotable lines of the release's long description (release-notes.ts keptNoteLines). */
  notes: string[];
  /** `https://github.com/<owner>/<repo>` when the project's URLs name one. */
  repository?: string;
}

function releaseFiles(value: unknown): PypiFile[] {
  const out: PypiFile[] = [];
  for (const item of Array.isArray(value) ? value : []) {
    const record = asRecord(item);
    const filename = asString(record?.['filename']);
    const url = asString(record?.['url']);
    if (!record || !filename || !url || !/^https?:\/\//i.test(url)) continue;
    const sha256 = asString(asRecord(record['digests'])?.['sha256']);
    const size = record['size'];
    out.push({ filename, url, ...(sha256 && /^[0-9a-f]{64}$/i.test(sha256) ? { sha256: sha256.toLowerCase() } : {}),
      ...(typeof size === 'number' && Number.isFinite(size) && size >= 0 ? { size } : {}) });
  }
  return out.sort((a, b) => byString(a.filename, b.filename));
}

/**
 * The file to look inside: the sdist (the package's own sources, .c and .pyx included), else a pure wheel, else a
 * platform wheel (its .so/.pyd are then the compiled parts that can be compared).
 */
export function pickArchive(files: readonly PypiFile[]): PypiFile | undefined {
  return files.find(f => /\.tar\.gz$/i.test(f.filename)) ?? files.find(f => /\.zip$/i.test(f.filename))
    ?? files.find(f => /-none-any\.whl$/i.test(f.filename))
    ?? files.find(f => /manylinux.*x86_64\.whl$/i.test(f.filename)) ?? files.find(f => /\.whl$/i.test(f.filename));
}

/** `https://github.com/owner/repo` from an npm `repository` or a PyPI project URL; undefined for any other host. */
export function githubRepository(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const short = /^(?:github:)?([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})$/.exec(value.trim());
  const full = /^(?:git\+)?(?:https?|git|ssh):\/\/(?:[^@/]+@)?(?:www\.)?github\.com[/:]([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100}?)(?:\.git)?(?:[/#?].*)?$/i.exec(value.trim())
    ?? /^git@github\.com:([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100}?)(?:\.git)?$/i.exec(value.trim());
  const match = full ?? short;
  if (!match?.[1] || !match[2] || match[2] === '.' || match[2] === '..') return undefined;
  return `https://github.com/${match[1]}/${match[2]}`;
}

function projectRepository(info: Record<string, unknown>): string | undefined {
  const urls = Object.entries(asRecord(info['project_urls']) ?? {}).sort(([a], [b]) => byString(a.toLowerCase(), b.toLowerCase()));
  const candidates = [...urls.map(([, v]) => asString(v)), asString(info['home_page'])];
  for (const url of candidates) {
    const repo = githubRepository(url);
    if (repo) return repo;
  }
  return undefined;
}

export function isPypiRelease(value: unknown): value is PypiRelease {
  const record = asRecord(value);
  return !!record && Array.isArray(record['dependencies']) && Array.isArray(record['maintainers']) && Array.isArray(record['files'])
    && Array.isArray(record['notes']);
}

/** Runtime requirements (extras dropped), the people named on one release, its files, notes and repository. */
export function slimRelease(json: unknown): PypiRelease | undefined {
  const info = asRecord(asRecord(json)?.['info']);
  if (!info) return undefined;
  const dependencies = stringList(info['requires_dist'])
    .filter(req => !/extra\s*==/.test(req))
    .map(req => /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(req)?.[1])
    .filter((n): n is string => !!n)
    .map(normalizePythonName);
  const people = [info['author'], info['maintainer'], info['author_email'], info['maintainer_email']]
    .map(asString).filter((p): p is string => !!p && p.trim() !== '').map(p => p.trim());
  const repository = projectRepository(info);
  return {
    dependencies: [...new Set(dependencies)].sort(byString), maintainers: [...new Set(people)].sort(byString),
    files: releaseFiles(asRecord(json)?.['urls']), notes: keptNoteLines(asString(info['description']) ?? ''),
    ...(repository ? { repository } : {}),
  };
}
