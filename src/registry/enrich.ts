import type { DependencyChange, Ecosystem, RuleSettings, Signal } from '../types.js';
import { scoreDependency } from '../risk/score.js';
import { defaultWeights } from '../risk/weights.js';
import type { Weights } from '../risk/weights.js';
import { versionScheme } from '../versions/index.js';
import { DiskCache, resolveCacheDir } from './cache.js';
import { RegistryClient } from './client.js';
import { deepScan } from './deep-scan.js';
import type { AnalyzeSources } from './deep-scan.js';
import type { RegistryPackage } from './facts.js';
import { byString } from './facts.js';
import { indexLeakProne, loadLeakProne, matchLeakProne } from './leak-prone.js';
import { fastCompare } from './compare.js';
import { packumentPath, slimPackument } from './npm.js';
import { loadNpmConfig, registryFor, secretsOf, toFetchOptions } from './npmrc.js';
import type { NpmConfig } from './npmrc.js';
import { mapLimit } from './pool.js';
import type { ProgressCallback } from './progress.js';
import { throttle } from './progress.js';
import { projectUrl, releaseUrl, resolvePypiIndex, slimProject, slimRelease } from './pypi.js';
import type { PypiIndex } from './pypi.js';
import { registrySignals } from './signals.js';
import { readTarball, TarballTooLarge, type TarLimits } from './tarball.js';

export interface EnrichOptions {
  /** Told the credentials in play once the npm and pip configuration is read, so that no output shows them. */
  onSecrets?: (secrets: readonly string[]) => void;
  /** Cache and lockfiles only: no request leaves the machine. */
  offline?: boolean;
  /** An unreachable registry is an error (exit 2) instead of one warning. */
  requireRegistry?: boolean;
  pypiUrl?: string;
  /** How many upgraded packages, in the order given, get their tarballs diffed. Default 10; 0 turns it off. */
  deep?: number;
  cacheDir?: string;
  /** Where the project's .npmrc is. */
  projectDir: string;
  env: Record<string, string | undefined>;
  /** ISO date of the `to` commit, for release age. */
  toDate?: string;
  onProgress?: ProgressCallback;
  concurrency?: number;
  timeoutMs?: number;
  retries?: number;
  retryBaseMs?: number;
  maxRetryAfterMs?: number;
  /** The rule engine; defaults to src/rules/run.ts. */
  analyzeSources?: AnalyzeSources;
  /** How much of a tarball is read (DEFAULT_TAR_LIMITS); a package past them is not deep-scanned, with a warning. */
  tarLimits?: Partial<TarLimits>;
  ruleSettings?: RuleSettings;
  /** Picks the deep-scan targets by score after the registry signals are in. */
  weights?: Weights;
  debug?: (line: string) => void;
}

interface Context {
  client: RegistryClient;
  config: NpmConfig;
  pypi: PypiIndex;
}

type Key = string;
const keyOf = (ecosystem: Ecosystem, name: string): Key => `${ecosystem}\0${name}`;

/** Appends registry and deep-scan signals to each change (sorted); returns the warnings for the report. */
export async function enrichDependencies(changes: DependencyChange[], options: EnrichOptions): Promise<{ warnings: string[] }> {
  const config = await loadNpmConfig(options.projectDir, options.env);
  const pypi = resolvePypiIndex(options.pypiUrl, options.env);
  const secrets = [...secretsOf(config), ...pypi.secrets];
  options.onSecrets?.(secrets);
  const client = new RegistryClient({
    cache: new DiskCache(resolveCacheDir(options.env, options.cacheDir)),
    offline: options.offline ?? false,
    requireRegistry: options.requireRegistry ?? false,
    http: {
      fetchOptions: { ...toFetchOptions(config), maxSockets: options.concurrency ?? 16 }, secrets, timeoutMs: options.timeoutMs ?? 30_000, retries: options.retries ?? 3,
      retryBaseMs: options.retryBaseMs ?? 500, maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      ...(options.debug ? { debug: options.debug } : {}),
    },
  });
  const ctx: Context = { client, config, pypi };
  const packages = await fetchPackages(changes, ctx, options);
  const leakIndex = indexLeakProne(await loadLeakProne());
  const comparators = new Map<Ecosystem, (a: string, b: string) => number>();
  for (const change of changes) {
    const pkg = packages.get(keyOf(change.ecosystem, change.name));
    const leakProne = change.to ? matchLeakProne(change.name, pkg?.keywords ?? [], leakIndex) : [];
    const compare = comparators.get(change.ecosystem) ?? fastCompare(change.ecosystem);
    comparators.set(change.ecosystem, compare);
    append(change, registrySignals({ change, pkg, leakProne, compare, ...(options.toDate ? { toDate: options.toDate } : {}) }));
  }
  const deepWarnings = await deepScanTop(changes, packages, ctx, options);
  return { warnings: [...new Set([...client.warnings(), ...deepWarnings])].sort(byString) };
}

async function fetchPackages(changes: DependencyChange[], ctx: Context, options: EnrichOptions): Promise<Map<Key, RegistryPackage>> {
  const wanted = new Map<Key, { ecosystem: Ecosystem; name: string; versions: Set<string> }>();
  for (const change of changes) {
    if ((change.ecosystem !== 'npm' && change.ecosystem !== 'pypi') || !change.to) continue;
    const key = keyOf(change.ecosystem, change.name);
    const entry = wanted.get(key) ?? { ecosystem: change.ecosystem, name: change.name, versions: new Set<string>() };
    for (const v of [change.from, change.to]) if (v) entry.versions.add(v);
    wanted.set(key, entry);
  }
  const groups = [...wanted.entries()].sort(([a], [b]) => byString(a, b));
  const progress = throttle(options.onProgress);
  let done = 0;
  const results = await mapLimit(groups, options.concurrency ?? 16, async ([key, group]) => {
    const versions = [...group.versions].sort(byString);
    const pkg = group.ecosystem === 'npm' ? await npmPackage(group.name, versions, ctx) : await pypiPackage(group.name, versions, ctx);
    progress?.({ phase: 'registry', done: ++done, total: groups.length });
    return [key, pkg] as const;
  });
  return new Map(results.filter((r): r is readonly [Key, RegistryPackage] => r[1] !== undefined));
}

// The full packument, not the abbreviated install-v1 one: only the full document has `time` (release age) and
// `maintainers` / `_npmUser`. It is trimmed before caching, so the cost is paid once per name.
function npmPackage(name: string, versions: string[], { client, config }: Context): Promise<RegistryPackage | undefined> {
  const registry = registryFor(name, config);
  return client.document('npm', registry, registry + packumentPath(name), name, versions, json => slimPackument(json, name), undefined, { spec: name });
}

async function pypiPackage(name: string, versions: string[], { client, pypi }: Context): Promise<RegistryPackage | undefined> {
  const http = pypi.authorization ? { extraHeaders: { authorization: pypi.authorization } } : undefined;
  const pkg = await client.document('pypi', pypi.base, projectUrl(pypi, name), name, versions, json => slimProject(json, name), http);
  if (!pkg) return undefined;
  const merged: RegistryPackage = { ...pkg, versions: { ...pkg.versions } };
  for (const version of versions) {
    const facts = merged.versions[version];
    if (!facts) continue;
    const release = await client.immutable('pypi-release', pypi.base, releaseUrl(pypi, name, version), `${name}@${version}`,
      slimRelease, isRelease, http);
    if (release) merged.versions[version] = { ...facts, ...release };
  }
  return merged;
}

function isRelease(value: unknown): value is { dependencies: string[]; maintainers: string[] } {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return Array.isArray(record['dependencies']) && Array.isArray(record['maintainers']);
}

async function deepScanTop(changes: DependencyChange[], packages: Map<Key, RegistryPackage>, ctx: Context, options: EnrichOptions): Promise<string[]> {
  const limit = options.deep ?? 10;
  if (limit <= 0) return [];
  const weights = options.weights ?? defaultWeights;
  const targets = changes
    // Development-only packages never run in production: no reason to download and read them.
    .filter(c => c.ecosystem === 'npm' && !c.dev && c.from && c.to && versionScheme('npm').compare(c.from, c.to) < 0)
    .map((change, order) => ({ change, order, points: scoreDependency(change, weights).points }))
    .sort((a, b) => b.points - a.points || a.order - b.order)
    .slice(0, limit)
    .map(t => t.change);
  const analyze = options.analyzeSources ?? (await import('../rules/run.js')).analyzeSources;
  const progress = throttle(options.onProgress);
  const warnings: string[] = [];
  const scanned: string[] = [];
  const withSignals: string[] = [];
  let done = 0;
  await mapLimit(targets, 4, async change => {
    const pkg = packages.get(keyOf('npm', change.name));
    const trees = pkg ? await Promise.all([change.from, change.to].map(v => tarballTree(change.name, v ?? '', pkg, ctx, options.tarLimits ?? {}, warnings))) : [];
    const [before, after] = trees;
    if (before && after && change.from && change.to) {
      try {
        const result = await deepScan(change.name, change.from, change.to, before, after, analyze, options.ruleSettings);
        scanned.push(change.name);
        if (result.signals.length > 0) withSignals.push(change.name);
        append(change, result.signals);
        for (const warning of result.warnings) warnings.push(warning);
      } catch (error) {
        warnings.push(`deep scan of ${change.name} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
    }
    progress?.({ phase: 'deep-scan', done: ++done, total: targets.length });
  });
  const summary = deepScanSummary(scanned, withSignals);
  if (summary) warnings.push(summary);
  return warnings;
}

/** One line that says the deep scan ran and what it read, so that "nothing found" is not mistaken for "not looked". */
export function deepScanSummary(scanned: readonly string[], withSignals: readonly string[]): string | undefined {
  if (scanned.length === 0) return undefined;
  const names = [...scanned].sort(byString);
  const listed = names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
  const packages = `${names.length} upgraded npm package${names.length === 1 ? '' : 's'}`;
  const found = withSignals.length === 0
    ? 'no leak signal in their changed files'
    : `leak signals in ${withSignals.length} of them (see their reasons)`;
  return `deep scan: read both versions of ${packages} (${listed}): ${found}`;
}

async function tarballTree(name: string, version: string, pkg: RegistryPackage, { client, config }: Context, tarLimits: Partial<TarLimits>,
  warnings: string[]) {
  const facts = pkg.versions[version];
  if (!facts?.tarball) return undefined;
  const data = await client.tarball(registryFor(name, config), facts.tarball, `${name}@${version}`, facts.integrity, { spec: name });
  if (!data) return undefined;
  try {
    return await readTarball(data, tarLimits);
  } catch (error) {
    if (error instanceof TarballTooLarge) warnings.push(`${name}@${version}: ${error.message}; ${name} is not deep-scanned`);
    return undefined;
  }
}

/** Adds signals whose id the change does not carry yet, then sorts by id and detail. */
function append(change: DependencyChange, signals: Signal[]): void {
  const native = change.signals.some(s => s.id === 'native-code' || s.id === 'native-added');
  for (const signal of signals) {
    if (change.signals.some(s => s.id === signal.id)) continue;
    if (native && (signal.id === 'native-code' || signal.id === 'native-added')) continue;
    change.signals.push(signal);
  }
  change.signals.sort((a, b) => byString(a.id, b.id) || byString(a.detail, b.detail));
}
