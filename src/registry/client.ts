import { createHash } from 'node:crypto';
import { ReldiffError } from '../errors.js';
import type { DiskCache } from './cache.js';
import { originFolder } from './cache.js';
import { isRegistryPackage } from './facts.js';
import type { RegistryPackage } from './facts.js';
import { fetchBuffer } from './http.js';
import type { FetchResult, HttpSettings } from './http.js';
import { redact } from './npmrc.js';
import { Redactor } from '../redact.js';

// The edge between the pure signals and the network: cache first, each URL at most once per run, and a registry
// that cannot be reached turns the rest of the run offline for that host instead of failing it.

export interface ClientOptions {
  cache: DiskCache;
  http: HttpSettings;
  offline: boolean;
  requireRegistry: boolean;
}

type Problem = 'not-found' | 'malformed' | 'refused' | 'not-cached' | 'integrity';

export class RegistryClient {
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly unreachable = new Map<string, string>();
  private readonly problems = new Map<Problem, Set<string>>();
  private readonly aside = new Map<string, string>();
  private readonly asideUnreachable = new Map<string, string>();
  /** Network requests actually sent (cache hits excluded), for tests and the benchmark. */
  requests = 0;

  /** A registry may echo a credential back (in a `deprecated` text, say): it is removed before anything is kept. */
  private readonly redactor: Redactor;

  constructor(private readonly options: ClientOptions) {
    this.redactor = new Redactor(options.http.secrets);
  }

  /** The disk cache, for what is derived from its content-addressed entries (look-cache.ts). */
  get cache(): DiskCache {
    return this.options.cache;
  }

  /** A trimmed document from the cache when it has every `needed` version, else from the registry. */
  async document(kind: string, registry: string, url: string, label: string, needed: readonly string[],
    slim: (json: unknown) => RegistryPackage | undefined, http?: Partial<HttpSettings>, extra?: Record<string, unknown>): Promise<RegistryPackage | undefined> {
    const namespace = `${kind}/${originFolder(registry)}`;
    return this.once(`${namespace}\0${label}`, async () => {
      const cachedJson = await this.options.cache.readJson(namespace, label);
      const cached = isRegistryPackage(cachedJson) ? cachedJson : undefined;
      if (cached && needed.every(v => v in cached.versions)) return cached;
      const result = await this.fetch(registry, url, 'application/json', label, http, extra);
      if (result?.kind !== 'ok') return this.fallback(cached, label, result);
      const doc = parseJson(result.body, this.redactor);
      const slimmed = doc === undefined ? undefined : slim(doc);
      if (!slimmed) return this.note('malformed', label, cached);
      await this.options.cache.writeJson(namespace, label, slimmed);
      return slimmed;
    });
  }

  /**
   * Any immutable JSON (a PyPI release), cached as the caller trims it. `aside`: trouble is kept apart (asideProblems)
   * for the caller to word, instead of the registry warnings (GitHub's answers are not a package registry's).
   */
  async immutable<T>(kind: string, registry: string, url: string, label: string, read: (json: unknown) => T | undefined,
    isValid: (value: unknown) => value is T, http?: Partial<HttpSettings>, aside = false): Promise<T | undefined> {
    const namespace = `${kind}/${originFolder(registry)}`;
    return this.once(`${namespace}\0${label}`, async () => {
      const cached = await this.options.cache.readJson(namespace, label);
      if (isValid(cached)) return cached;
      const result = await this.fetch(registry, url, 'application/json', label, http, undefined, aside);
      if (aside && result !== undefined && result.kind !== 'ok') {
        this.aside.set(label, result.kind === 'failed' || result.kind === 'unreachable' ? result.reason : 'not found');
        return undefined;
      }
      if (result?.kind !== 'ok') return this.fallback(undefined, label, result);
      const doc = parseJson(result.body, this.redactor);
      const value = doc === undefined ? undefined : read(doc);
      if (value === undefined && aside) this.aside.set(label, 'malformed JSON');
      if (value === undefined) return aside ? undefined : this.note('malformed', label, undefined);
      await this.options.cache.writeJson(namespace, label, value);
      return value;
    });
  }

  /** A tarball, checked against its published integrity before it is cached. */
  async tarball(registry: string, url: string, label: string, integrity: string | undefined, extra?: Record<string, unknown>,
    http?: Partial<HttpSettings>): Promise<Buffer | undefined> {
    const namespace = `tarballs/${originFolder(registry)}`;
    return this.once(`${namespace}\0${label}`, async () => {
      const cached = await this.options.cache.readBuffer(namespace, label, 'tgz');
      if (cached && matchesIntegrity(cached, integrity)) return cached;
      const result = await this.fetch(registry, url, 'application/octet-stream', label, http, extra);
      if (result?.kind !== 'ok') return this.fallback(undefined, label, result);
      if (!matchesIntegrity(result.body, integrity)) return this.note('integrity', label, undefined);
      await this.options.cache.writeBuffer(namespace, label, 'tgz', result.body);
      return result.body;
    });
  }

  /** One warning per kind of trouble, names sorted, secrets removed. */
  warnings(): string[] {
    const out: string[] = [];
    for (const [origin, reason] of this.unreachable) {
      out.push(`registry ${origin} unreachable (${reason}); used cached facts only. Pass --require-registry to fail instead`);
    }
    const wording: Record<Problem, string> = {
      'not-found': 'not found on their registry',
      malformed: 'answered with malformed JSON by the registry',
      refused: 'refused by the registry (check the token in .npmrc)',
      'not-cached': 'not in the cache, so without registry facts (offline)',
      integrity: 'tarballs did not match their published integrity and were ignored',
    };
    for (const [problem, labels] of this.problems) {
      const names = [...labels].sort();
      const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? `, and ${names.length - 8} more` : '');
      out.push(`${names.length} package${names.length === 1 ? '' : 's'} ${wording[problem]}: ${shown}`);
    }
    return out.map(w => redact(w, this.options.http.secrets)).sort();
  }

  /** Takes back what was noted for `label`: a package one index lacks but the next one has is not missing. */
  forget(label: string): void {
    for (const labels of this.problems.values()) labels.delete(label);
    for (const [problem, labels] of [...this.problems]) if (labels.size === 0) this.problems.delete(problem);
  }

  /** Labels of `aside` requests that failed, with the reason, sorted by label. */
  asideProblems(): Array<[string, string]> {
    return [...this.aside.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([l, r]) => [l, redact(r, this.options.http.secrets)]);
  }

  isOffline(registry: string): boolean {
    return this.options.offline || this.unreachable.has(originOf(registry)) || this.asideUnreachable.has(originOf(registry));
  }

  private async fetch(registry: string, url: string, accept: string, label: string, http?: Partial<HttpSettings>,
    extra?: Record<string, unknown>, aside = false): Promise<FetchResult | undefined> {
    if (this.isOffline(registry)) return undefined;
    this.requests++;
    const result = await fetchBuffer(url, accept, { ...this.options.http, ...http }, extra);
    if (result.kind === 'unreachable') {
      const origin = originOf(registry);
      // --require-registry is about package registries: GitHub being down is said, never fatal.
      if (this.options.requireRegistry && !aside) {
        throw new ReldiffError('registry', redact(`registry ${origin} unreachable (${result.reason})`, this.options.http.secrets),
          'Check the network or the registry setting, or drop --require-registry to continue with cached facts');
      }
      // Requests run in parallel: keep the same reason whichever failed first, so that two runs print the same.
      // An unreachable GitHub is not asked again either, but its own warning (asideProblems) says so.
      const map = aside ? this.asideUnreachable : this.unreachable;
      const known = map.get(origin);
      if (known === undefined || result.reason < known) map.set(origin, result.reason);
    }
    return result;
  }

  private fallback<T>(cached: T | undefined, label: string, result: FetchResult | undefined): T | undefined {
    // After a registry turned unreachable, its one warning already says that only cached facts were used.
    if (result === undefined) return cached ?? (this.options.offline ? this.note('not-cached', label, undefined) : undefined);
    if (result.kind === 'not-found') return this.note('not-found', label, cached);
    if (result.kind === 'failed') return this.note('refused', label, cached);
    return cached;
  }

  private note<T>(problem: Problem, label: string, value: T): T {
    const set = this.problems.get(problem) ?? new Set<string>();
    set.add(label);
    this.problems.set(problem, set);
    return value;
  }

  private once<T>(key: string, run: () => Promise<T>): Promise<T> {
    const existing = this.inflight.get(key);
    if (existing) return existing as Promise<T>;
    const started = run();
    this.inflight.set(key, started);
    return started;
  }
}

function parseJson(body: Buffer, redactor: Redactor): unknown {
  try {
    return JSON.parse(redactor.applyKnown(body.toString('utf8'))) as unknown;
  } catch {
    return undefined;
  }
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the registry';
  }
}

/** SRI `sha512-…` or a bare sha1 hex (old packuments); unknown algorithms are not trusted blindly but accepted. */
export function matchesIntegrity(data: Buffer, integrity: string | undefined): boolean {
  if (!integrity) return true;
  for (const part of integrity.trim().split(/\s+/)) {
    const sri = /^(sha512|sha384|sha256|sha1)-(.+)$/.exec(part);
    if (sri) return createHash(sri[1] ?? 'sha512').update(data).digest('base64') === sri[2];
    if (/^[0-9a-f]{40}$/i.test(part)) return createHash('sha1').update(data).digest('hex') === part.toLowerCase();
  }
  return true;
}
