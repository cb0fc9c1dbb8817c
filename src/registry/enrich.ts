import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectContext } from '../deps/project-kind.js';
import type { DependencyChange, Ecosystem, RuleSettings, Signal } from '../types.js';
import type { Weights } from '../risk/weights.js';
import { versionScheme } from '../versions/index.js';
import { DiskCache, resolveCacheDir } from './cache.js';
import { RegistryClient } from './client.js';
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
import { isPypiRelease, projectUrl, releaseUrl, slimProject, slimRelease } from './pypi.js';
import type { PypiIndex } from './pypi.js';
import { registrySignals } from './signals.js';
import type { TarLimits } from './tarball.js';
import { resolveGithubApi } from './github-releases.js';
import { lookInside, newestAfter } from './look-inside.js';
import type { LookStats } from './look-inside.js';
import { loadPipFiles, resolvePipProxy, resolvePypiIndexes } from './pip-config.js';

export interface EnrichOptions {
  /** Told the credentials in play once the npm and pip configuration is read, so that no output shows them. */
  onSecrets?: (secrets: readonly string[]) => void;
  /** Cache and lockfiles only: no request leaves the machine. */
  offline?: boolean;
  /** An unreachable registry is an error (exit 2) instead of one warning. */
  requireRegistry?: boolean;
  pypiUrl?: string;
  /**
   * At most how many upgraded packages are looked inside (largest risk first); undefined: every upgrade that can run
   * in production, within `deepBytes`. 0 turns it off.
   */
  deep?: number;
  /** Download budget of the look-inside per run, from the sizes the registries state (coverage.ts). */
  deepBytes?: number;
  /** What each lockfile's repository builds (deps/project-kind.ts): decides which pins ship. */
  projects?: ReadonlyMap<string, ProjectContext>;
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
  /** The main index first, then the extra ones (pip-config.ts). */
  pypi: PypiIndex[];
  /** Which index answered for each PyPI name, for the archive downloads. */
  pypiIndexOf: Map<string, PypiIndex>;
  /** The npm fetch options with pip's proxy, for PyPI requests, when pip names one. */
  pypiFetchOptions?: Record<string, unknown>;
}

type Key = string;
const keyOf = (ecosystem: Ecosystem, name: string): Key => `${ecosystem}\0${name}`;

/** Appends registry and deep-scan signals to each change (sorted); returns the warnings for the report. */
export async function enrichDependencies(changes: DependencyChange[], options: EnrichOptions): Promise<{ warnings: string[]; stats?: LookStats }> {
  const config = await loadNpmConfig(options.projectDir, options.env);
  const pipFiles = await loadPipFiles(options.env, await requirementTexts(changes, options.projectDir));
  const pypi = resolvePypiIndexes(options.pypiUrl, options.env, pipFiles);
  const pipProxy = resolvePipProxy(options.env, pipFiles);
  const github = resolveGithubApi(options.env);
  const secrets = [...secretsOf(config), ...pypi.flatMap(i => i.secrets), ...pipProxy.secrets, ...github.secrets];
  options.onSecrets?.(secrets);
  const fetchOptions = { ...toFetchOptions(config), maxSockets: options.concurrency ?? 16 };
  // pip's own proxy setting goes to PyPI requests only; npm's stays with npm's.
  const pypiFetchOptions = pipProxy.proxy ? { ...fetchOptions, httpsProxy: pipProxy.proxy, proxy: pipProxy.proxy } : undefined;
  const client = new RegistryClient({
    cache: new DiskCache(resolveCacheDir(options.env, options.cacheDir)),
    offline: options.offline ?? false,
    requireRegistry: options.requireRegistry ?? false,
    http: {
      fetchOptions, secrets, timeoutMs: options.timeoutMs ?? 30_000, retries: options.retries ?? 3,
      retryBaseMs: options.retryBaseMs ?? 500, maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      ...(options.debug ? { debug: options.debug } : {}),
    },
  });
  const ctx: Context = { client, config, pypi, pypiIndexOf: new Map(), ...(pypiFetchOptions ? { pypiFetchOptions } : {}) };
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
  if (options.deep === 0) return { warnings: [...new Set(client.warnings())].sort(byString) };
  const looked = await lookInside(changes, packages, { client, config, github, pypiIndexOf: name => ctx.pypiIndexOf.get(name),
    ...(ctx.pypiFetchOptions ? { pypiFetchOptions: ctx.pypiFetchOptions } : {}) }, {
    ...(options.deep !== undefined ? { limit: options.deep } : {}),
    ...(options.deepBytes !== undefined ? { budgetBytes: options.deepBytes } : {}),
    ...(options.projects ? { projects: options.projects } : {}),
    ...(options.analyzeSources ? { analyze: options.analyzeSources } : {}),
    ...(options.ruleSettings ? { ruleSettings: options.ruleSettings } : {}),
    ...(options.tarLimits ? { tarLimits: options.tarLimits } : {}),
    ...(options.weights ? { weights: options.weights } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    concurrency: Math.min(8, options.concurrency ?? 8),
    offline: options.offline ?? false,
  });
  for (const [change, signals] of looked.signals) append(change, signals);
  return { warnings: [...new Set([...client.warnings(), ...looked.warnings])].sort(byString), stats: looked.stats };
}

/** Requirements files among the changed lockfiles, read from the project folder for their --index-url lines. */
async function requirementTexts(changes: readonly DependencyChange[], projectDir: string): Promise<string[]> {
  const paths = [...new Set(changes.filter(c => c.ecosystem === 'pypi' && /\.(txt|in)$/i.test(c.lockfile)).map(c => c.lockfile))].sort(byString);
  const texts: string[] = [];
  for (const path of paths.slice(0, 50)) {
    try {
      texts.push(await readFile(join(projectDir, path), 'utf8'));
    } catch { /* a requirements file only in git history has no index line to honour here */ }
  }
  return texts;
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

/** The first index that knows the name (pip asks them all; the main index's answer is preferred here, as uv does). */
async function pypiPackage(name: string, versions: string[], ctx: Context): Promise<RegistryPackage | undefined> {
  const { client } = ctx;
  for (const index of ctx.pypi) {
    const http = { ...(index.authorization ? { extraHeaders: { authorization: index.authorization } } : {}), ...(ctx.pypiFetchOptions ? { fetchOptions: ctx.pypiFetchOptions } : {}) };
    const pkg = await client.document('pypi', index.base, projectUrl(index, name), name, versions, json => slimProject(json, name), http);
    if (!pkg) continue;
    if (index !== ctx.pypi[0]) client.forget(name);
    ctx.pypiIndexOf.set(name, index);
    const merged: RegistryPackage = { ...pkg, versions: { ...pkg.versions } };
    // The newest release's description is where later leak fixes are announced (release-notes.ts).
    const newest = newestAfter(pkg, versions[versions.length - 1] ?? '', safePep440);
    for (const version of [...versions, ...(newest && !versions.includes(newest) ? [newest] : [])]) {
      const facts = merged.versions[version];
      if (!facts) continue;
      const release = await client.immutable('pypi-release', index.base, releaseUrl(index, name, version), `${name}@${version}`,
        slimRelease, isPypiRelease, http);
      if (release) merged.versions[version] = { ...facts, ...release };
    }
    return merged;
  }
  return undefined;
}

function safePep440(a: string, b: string): number {
  try {
    return versionScheme('pypi').compare(a, b);
  } catch {
    return a < b ? -1 : a > b ? 1 : 0;
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
