import type { ProjectContext } from '../deps/project-kind.js';
import { defaultWeights } from '../risk/weights.js';
import type { Weights } from '../risk/weights.js';
import type { DependencyChange, RuleSettings, Signal } from '../types.js';
import { versionScheme } from '../versions/index.js';
import { findChangelog } from './changelog.js';
import type { RegistryClient } from './client.js';
import { coverageWarning, DEFAULT_DEEP_BYTES, planCoverage } from './coverage.js';
import type { LookGroup } from './coverage.js';
import { deepScan } from './deep-scan.js';
import type { AnalyzeSources } from './deep-scan.js';
import type { RegistryPackage } from './facts.js';
import { byString } from './facts.js';
import { isReleaseNotes, releasesUrl, slimReleases } from './github-releases.js';
import type { GithubApi } from './github-releases.js';
import type { HttpSettings } from './http.js';
import { lookKey, readLook, writeLook } from './look-cache.js';
import type { ArchiveId, ChangelogText, LookEntry } from './look-cache.js';
import { registryFor } from './npmrc.js';
import type { NpmConfig } from './npmrc.js';
import { mapLimit } from './pool.js';
import type { ProgressCallback } from './progress.js';
import { throttle } from './progress.js';
import { pickArchive } from './pypi.js';
import type { PypiFile, PypiIndex } from './pypi.js';
import { laterLeakFixes, retentionNotes, sortQuotes, versionSections } from './release-notes.js';
import type { NoteQuote } from './release-notes.js';
import { readTarball, TarballTooLarge } from './tarball.js';
import type { PackageTree, TarLimits } from './tarball.js';
import { readZip } from './zip.js';

// The look inside upgrades, for npm and PyPI: both versions' archives diffed and run through the rules, compiled
// parts compared, and the release notes of the range and of the releases after `to` read (changelog, registry
// description, GitHub releases). Which upgrades is coverage.ts's decision; this file is the I/O around it.

export interface LookContext {
  client: RegistryClient;
  config: NpmConfig;
  /** The index the package's facts came from, per package name (PyPI: the first index that knew it). */
  pypiIndexOf: (name: string) => PypiIndex | undefined;
  github: GithubApi;
  /** Fetch options carrying pip's proxy, for PyPI downloads. */
  pypiFetchOptions?: Record<string, unknown>;
}

export interface LookOptions {
  /** `--deep <n>`: an upper bound on packages; undefined looks inside every upgrade that ships. */
  limit?: number;
  budgetBytes?: number;
  concurrency?: number;
  projects?: ReadonlyMap<string, ProjectContext>;
  analyze?: AnalyzeSources;
  ruleSettings?: RuleSettings;
  tarLimits?: Partial<TarLimits>;
  weights?: Weights;
  onProgress?: ProgressCallback;
  /** --offline: what was left out is then said only beside what the cache let it read. */
  offline?: boolean;
  /**
   * A name for `analyze` under which its results may be kept in the look cache (look-cache.ts). Without it, a custom
   * `analyze` is never cached: its code is not hashed, and another one's answer would be wrong.
   */
  analyzeName?: string;
}

export interface LookStats { packages: string[]; bytesRead: number }

type Key = string;
const keyOf = (ecosystem: string, name: string): Key => `${ecosystem}\0${name}`;
const COMPILED = /\.(c|cc|cpp|cxx|pyx|pxd|so|pyd)$/i;

function safeCompare(ecosystem: 'npm' | 'pypi'): (a: string, b: string) => number {
  const scheme = versionScheme(ecosystem);
  return (a, b) => {
    try {
      return scheme.compare(a, b);
    } catch {
      return a < b ? -1 : a > b ? 1 : 0;
    }
  };
}

/** The archive of one version: npm's tarball, PyPI's sdist or wheel (pypi.ts pickArchive). */
function archiveOf(group: Pick<LookGroup, 'ecosystem'>, pkg: RegistryPackage, version: string): { url: string; integrity?: string; size?: number; file?: PypiFile } | undefined {
  const facts = pkg.versions[version];
  if (!facts) return undefined;
  if (group.ecosystem === 'npm') {
    return facts.tarball ? { url: facts.tarball, ...(facts.integrity ? { integrity: facts.integrity } : {}), ...(facts.unpackedSize !== undefined ? { size: facts.unpackedSize } : {}) } : undefined;
  }
  const file = pickArchive(facts.files ?? []);
  if (!file) return undefined;
  const integrity = file.sha256 ? `sha256-${Buffer.from(file.sha256, 'hex').toString('base64')}` : undefined;
  return { url: file.url, file, ...(integrity ? { integrity } : {}), ...(file.size !== undefined ? { size: file.size } : {}) };
}

/** The newest version the registry lists, when it is newer than `to`. */
export function newestAfter(pkg: RegistryPackage, to: string, compare: (a: string, b: string) => number): string | undefined {
  let newest: string | undefined;
  for (const version of Object.keys(pkg.versions)) if (newest === undefined || compare(version, newest) > 0) newest = version;
  return newest !== undefined && compare(newest, to) > 0 ? newest : undefined;
}

export async function lookInside(changes: DependencyChange[], packages: ReadonlyMap<Key, RegistryPackage>, ctx: LookContext, options: LookOptions):
  Promise<{ warnings: string[]; signals: Map<DependencyChange, Signal[]>; stats: LookStats }> {
  const budgetBytes = options.budgetBytes ?? DEFAULT_DEEP_BYTES;
  const plan = planCoverage({
    changes, weights: options.weights ?? defaultWeights, ...(options.projects ? { projects: options.projects } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}), budgetBytes,
    isUpgrade: c => !!c.from && !!c.to && safeCompare(c.ecosystem === 'npm' ? 'npm' : 'pypi')(c.from, c.to) < 0,
    bytesOf: c => {
      const pkg = packages.get(keyOf(c.ecosystem, c.name));
      if (!pkg || !c.from || !c.to) return undefined;
      const group = { ecosystem: c.ecosystem === 'npm' ? 'npm' as const : 'pypi' as const };
      // The newest release's archive is read too, for its changelog: it counts against the budget as well.
      const newest = newestAfter(pkg, c.to, safeCompare(group.ecosystem));
      return [c.from, c.to, ...(newest ? [newest] : [])].reduce((sum, v) => sum + (archiveOf(group, pkg, v)?.size ?? 0), 0);
    },
  });
  const analyze = options.analyze ?? (await import('../rules/run.js')).analyzeSources;
  const progress = throttle(options.onProgress);
  const warnings: string[] = [];
  const signals = new Map<DependencyChange, Signal[]>();
  const scanned: string[] = [];
  const withSignals: string[] = [];
  const stats: LookStats = { packages: [], bytesRead: 0 };
  let done = 0;
  const analyzer = options.analyze === undefined ? 'rules' : options.analyzeName;
  await mapLimit(plan.groups, options.concurrency ?? 8, async group => {
    const pkg = packages.get(keyOf(group.ecosystem, group.name));
    const found: Signal[] = [];
    if (pkg) {
      const compare = safeCompare(group.ecosystem);
      const newest = newestAfter(pkg, group.to, compare);
      const versions = [group.from, group.to, ...(newest ? [newest] : [])];
      const key = analyzer === undefined ? undefined : cacheKeyOf(group, pkg, versions, analyzer, options);
      const hit = key ? await readLook(ctx.client.cache, key) : undefined;
      const fresh = hit ? undefined : await lookFresh(group, pkg, versions, newest, analyze, ctx, options, key);
      const entry = hit ?? fresh as FreshEntry;
      for (const warning of entry.treeWarnings) warnings.push(warning);
      stats.bytesRead += entry.bytesRead;
      if (entry.scan) {
        scanned.push(group.ecosystem === 'npm' ? group.name : `${group.name} (PyPI)`);
        for (const s of entry.scan.signals) found.push(s);
        for (const warning of entry.scan.warnings) warnings.push(warning);
      }
      if (fresh?.failed) warnings.push(fresh.failed);
      const quoted = found.find(s => s.id === 'changelog-memory')?.detail ?? '';
      for (const s of await notesSignals(group, pkg, newest, entry, ctx, compare, quoted)) found.push(s);
      if (found.length > 0) withSignals.push(group.name);
    }
    for (const change of group.changes) signals.set(change, found);
    progress?.({ phase: 'deep-scan', done: ++done, total: plan.groups.length });
  });
  const summary = deepScanSummary(scanned, withSignals.filter(n => scanned.some(s => s === n || s === `${n} (PyPI)`)));
  if (summary) warnings.push(summary);
  // Offline with nothing cached, the registry warning already says that nothing was read.
  const isRun = !options.offline || scanned.length > 0 || plan.left.overBudget.length > 0 || plan.left.pastLimit.length > 0;
  const left = isRun ? coverageWarning(plan.left, budgetBytes, options.limit) : undefined;
  if (left) warnings.push(left);
  const github = githubWarning(ctx.client.asideProblems(), !!ctx.github.authorization);
  if (github) warnings.push(github);
  stats.packages = [...scanned].sort(byString);
  return { warnings, signals, stats };
}

/** One line that says the deep scan ran and what it read, so that "nothing found" is not mistaken for "not looked". */
export function deepScanSummary(scanned: readonly string[], withSignals: readonly string[]): string | undefined {
  if (scanned.length === 0) return undefined;
  const names = [...scanned].sort(byString);
  const listed = names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
  const pypi = names.filter(n => n.endsWith(' (PyPI)')).length;
  const kind = pypi === 0 ? 'npm ' : pypi === names.length ? 'PyPI ' : '';
  const shown = kind === 'PyPI ' ? listed.replace(/ \(PyPI\)/g, '') : listed;
  const packages = `${names.length} upgraded ${kind}package${names.length === 1 ? '' : 's'}`;
  const found = withSignals.length === 0
    ? 'no leak signal in their changed files'
    : `leak signals in ${withSignals.length} of them (see their reasons)`;
  return `deep scan: read both versions of ${packages} (${shown}): ${found}`;
}

/** The key of a group's look entry, when every archive it reads has an integrity to name its content by. */
function cacheKeyOf(group: LookGroup, pkg: RegistryPackage, versions: readonly string[], analyzer: string, options: LookOptions): string | undefined {
  const archives: ArchiveId[] = [];
  for (const version of versions) {
    const archive = archiveOf(group, pkg, version);
    if (!archive?.integrity) return undefined;
    archives.push({ version, integrity: archive.integrity, filename: archive.file?.filename ?? '' });
  }
  return lookKey({ ecosystem: group.ecosystem, name: group.name, from: group.from, to: group.to, archives, tarLimits: options.tarLimits ?? {},
    ruleSettings: options.ruleSettings, analyzer });
}

/** A look entry with what only this run can say: a deep scan that threw is not kept (it may be the machine's fault). */
type FreshEntry = LookEntry & { failed?: string };

/** Reads the archives and scans them; keeps the result under `key` when every archive was read. */
async function lookFresh(group: LookGroup, pkg: RegistryPackage, versions: readonly string[], newest: string | undefined, analyze: AnalyzeSources,
  ctx: LookContext, options: LookOptions, key: string | undefined): Promise<FreshEntry> {
  const read: TreeReads = { warnings: [], bytesRead: 0, missing: 0 };
  const trees = await Promise.all(versions.map(v => treeOf(group, pkg, v, ctx, options.tarLimits ?? {}, read)));
  // The archives are read in parallel: their warnings are kept in one order, whichever finished first.
  read.warnings.sort(byString);
  const [before, after, latest] = trees;
  const latestLog = newest ? changelogOf(latest) : undefined;
  const afterLog = latestLog ? undefined : changelogOf(after);
  const entry: FreshEntry = { key: key ?? '', treeWarnings: read.warnings, bytesRead: read.bytesRead,
    ...(latestLog ? { latestLog } : {}), ...(afterLog ? { afterLog } : {}) };
  if (before && after) {
    try {
      const result = await deepScan(group.name, group.from, group.to, before, after, analyze, options.ruleSettings);
      const signals = [...result.signals];
      if (group.ecosystem === 'pypi') {
        const compiled = compiledChanged(group.name, group.from, group.to, before, after);
        if (compiled) signals.push(compiled);
      }
      entry.scan = { signals, warnings: result.warnings };
    } catch (error) {
      entry.failed = `deep scan of ${group.name} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    }
  }
  // An archive the cache or the registry did not give (offline, unreachable) is this run's state, not the content's.
  if (key && read.missing === 0 && entry.failed === undefined) await writeLook(ctx.client.cache, entry);
  return entry;
}

/** What reading a group's archives said, and how many of them could not be had at all. */
interface TreeReads { warnings: string[]; bytesRead: number; missing: number }

function changelogOf(tree: PackageTree | undefined): ChangelogText | undefined {
  const file = tree ? findChangelog(tree) : undefined;
  return file && tree ? { file, text: tree.files.get(file) ?? '' } : undefined;
}

async function treeOf(group: LookGroup, pkg: RegistryPackage, version: string, { client, config, pypiIndexOf, pypiFetchOptions }: LookContext,
  tarLimits: Partial<TarLimits>, read: TreeReads): Promise<PackageTree | undefined> {
  const { warnings } = read;
  const archive = archiveOf(group, pkg, version);
  if (!archive) {
    read.missing++;
    return undefined;
  }
  const label = `${group.name}@${version}`;
  let data: Buffer | undefined;
  if (group.ecosystem === 'npm') {
    data = await client.tarball(registryFor(group.name, config), archive.url, label, archive.integrity, { spec: group.name });
  } else {
    const index = pypiIndexOf(group.name);
    if (!index) {
      read.missing++;
      return undefined;
    }
    // The index's credentials go to the index's own origin only: files.pythonhosted.org or a CDN never sees them.
    const sameOrigin = originOf(archive.url) === originOf(index.base);
    const http: Partial<HttpSettings> = { ...(sameOrigin && index.authorization ? { extraHeaders: { authorization: index.authorization } } : {}),
      ...(pypiFetchOptions ? { fetchOptions: pypiFetchOptions } : {}) };
    data = await client.tarball(index.base, archive.url, label, archive.integrity, undefined, http);
  }
  if (!data) {
    read.missing++;
    return undefined;
  }
  read.bytesRead += data.length;
  try {
    const isZip = data.length >= 4 && data.readUInt32LE(0) === 0x04034b50;
    if (!isZip) return await readTarball(data, tarLimits);
    return readZip(data, tarLimits, { stripTop: !/\.whl$/i.test(archive.file?.filename ?? '') });
  } catch (error) {
    const what = group.ecosystem === 'npm' ? 'the tarball' : `${archive.file?.filename ?? 'the archive'}`;
    if (error instanceof TarballTooLarge) warnings.push(`${label}: ${error.message}; ${group.name} is not deep-scanned`);
    else warnings.push(`${label}: ${what} could not be read (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); ${group.name} is not deep-scanned`);
    return undefined;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/** C, Cython and built extension files that were added or changed: leaks there are invisible to Python's heap tools. */
export function compiledChanged(name: string, from: string, to: string, before: PackageTree, after: PackageTree): Signal | undefined {
  const changed = [...after.sizes.keys()].filter(path => COMPILED.test(path)
    && (!before.sizes.has(path) || before.sizes.get(path) !== after.sizes.get(path) || before.files.get(path) !== after.files.get(path))).sort(byString);
  if (changed.length === 0) return undefined;
  const shown = changed.slice(0, 3).join(', ') + (changed.length > 3 ? `, +${changed.length - 3} more` : '');
  return { id: 'compiled-changed', detail: `compiled parts of ${name} changed ${from} -> ${to} (${shown}): leaks there are invisible to Python's heap tools` };
}

/** The release notes' signals: leak fixes after `to`, retention announced between `from` and `to`. */
async function notesSignals(group: LookGroup, pkg: RegistryPackage, newest: string | undefined, logs: Pick<LookEntry, 'latestLog' | 'afterLog'>,
  ctx: LookContext, compare: (a: string, b: string) => number, quoted: string): Promise<Signal[]> {
  const fixes: NoteQuote[] = [];
  const retained: NoteQuote[] = [];
  const add = (lines: readonly string[], source: string, later: boolean) => {
    const sections = versionSections(lines);
    if (later) for (const q of laterLeakFixes(sections, source, group.to, compare)) fixes.push(q);
    for (const q of retentionNotes(sections, source, group.from, group.to, compare)) retained.push(q);
  };
  const linesOf = (log: ChangelogText) => log.text.split(/\r?\n/);
  if (newest && logs.latestLog) add(linesOf(logs.latestLog), `${logs.latestLog.file} of ${group.name} ${newest}`, true);
  else if (logs.afterLog) {
    // Without a newer release (or its changelog), `to`'s own changelog still tells what the range announced.
    add(linesOf(logs.afterLog), `${logs.afterLog.file} of ${group.name} ${group.to}`, false);
  }
  const described = newest ? pkg.versions[newest]?.notes : undefined;
  if (described) add(described, `the registry description of ${group.name} ${newest ?? ''}`, true);
  else {
    const own = pkg.versions[group.to]?.notes;
    if (own) add(own, `the registry description of ${group.name} ${group.to}`, false);
  }
  const repository = (newest ? pkg.versions[newest]?.repository : undefined) ?? pkg.versions[group.to]?.repository;
  const url = repository ? releasesUrl(ctx.github, repository) : undefined;
  if (repository && url) {
    const http: Partial<HttpSettings> = { extraHeaders: { 'user-agent': 'reldiff', ...(ctx.github.authorization ? { authorization: ctx.github.authorization } : {}) } };
    // Keyed by the newest version the registry lists: a new release there is a reason to ask GitHub again.
    const notes = await ctx.client.immutable('github-releases', ctx.github.base, url, `${repository.slice(19)}@${newest ?? group.to}`, slimReleases, isReleaseNotes, http, true);
    if (notes) add(notes.sections.flatMap(s => [`## ${s.version}`, ...s.lines]), `GitHub release notes of ${repository.slice(19)}`, true);
  }
  const out: Signal[] = [];
  const firstFixes = dedupe(sortQuotes(fixes, compare)).slice(0, 3);
  if (firstFixes.length > 0) {
    out.push({ id: 'later-leak-fix', detail: `${firstFixes.map(q => `v${q.version} notes (${q.source}): "${q.quote}"`).join('; ')}: the version you moved to (${group.to}) may have it` });
  }
  // A line the changelog-memory signal already quotes is not counted twice.
  const firstRetained = dedupe(sortQuotes(retained, compare)).filter(q => !quoted.includes(q.quote)).slice(0, 3);
  if (firstRetained.length > 0) {
    out.push({ id: 'notes-retention', detail: `between ${group.from} and ${group.to}, ${firstRetained.map(q => `v${q.version} notes (${q.source}): "${q.quote}"`).join('; ')}: keeping more in memory is announced as a feature` });
  }
  return out;
}

/** One line for the GitHub releases that could not be read; without a token, GitHub allows 60 requests an hour. */
export function githubWarning(problems: ReadonlyArray<readonly [string, string]>, hasToken: boolean): string | undefined {
  if (problems.length === 0) return undefined;
  const repos = problems.map(([label]) => label.replace(/@[^@]*$/, ''));
  const reasons = [...new Set(problems.map(([, reason]) => reason))].sort(byString).join(', ');
  const shown = repos.length <= 5 ? repos.join(', ') : `${repos.slice(0, 5).join(', ')} and ${repos.length - 5} more`;
  const hint = !hasToken && /HTTP (403|429)/.test(reasons) ? '; set GITHUB_TOKEN for a higher rate limit' : '';
  return `GitHub releases of ${repos.length} repositor${repos.length === 1 ? 'y' : 'ies'} not read (${reasons}): ${shown}${hint}`;
}

/** The same line quoted from two sources is said once, from the first. */
function dedupe(list: readonly NoteQuote[]): NoteQuote[] {
  const seen = new Set<string>();
  return list.filter(q => {
    const key = `${q.version}\0${q.quote.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
