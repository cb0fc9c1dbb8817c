import type MakeFetchHappen from 'make-fetch-happen';
import type NpmRegistryFetch from 'npm-registry-fetch';
import { redact } from './npmrc.js';

// One GET with retries. make-fetch-happen's own retry ignores Retry-After, so it is switched off and done here.

export type FetchResult =
  | { kind: 'ok'; body: Buffer }
  | { kind: 'not-found' }
  /** The host could not be reached, or kept failing: the caller degrades to offline. */
  | { kind: 'unreachable'; reason: string }
  /** The host answered, but not with something usable (401, 403, 400...). */
  | { kind: 'failed'; reason: string };

export interface HttpSettings {
  /** npm-registry-fetch style options from the npm config (auth per registry, proxies). */
  fetchOptions: Record<string, unknown>;
  secrets: readonly string[];
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  /** Longest Retry-After honoured; a longer one is treated as unreachable. */
  maxRetryAfterMs: number;
  extraHeaders?: Record<string, string>;
  debug?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

const NO_RETRY_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

export async function fetchBuffer(url: string, accept: string, settings: HttpSettings, extra: Record<string, unknown> = {}): Promise<FetchResult> {
  const sleep = settings.sleep ?? ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)));
  let last = 'no attempt';
  for (let attempt = 0; attempt <= settings.retries; attempt++) {
    const outcome = await attemptOnce(url, accept, settings, extra);
    settings.debug?.(redact(`registry: GET ${url} -> ${outcome.kind === 'retry' ? outcome.reason : outcome.result.kind}`, settings.secrets));
    if (outcome.kind === 'done') return outcome.result;
    last = outcome.reason;
    if (outcome.waitMs !== undefined && outcome.waitMs > settings.maxRetryAfterMs) break;
    if (attempt < settings.retries) await sleep(outcome.waitMs ?? settings.retryBaseMs * 2 ** attempt);
  }
  return { kind: 'unreachable', reason: redact(last, settings.secrets) };
}

type Attempt = { kind: 'done'; result: FetchResult } | { kind: 'retry'; reason: string; waitMs?: number };

const MAX_REDIRECTS = 10;

/**
 * Loaded on the first request: requiring them (and cacache under them) is ~0.3 s, paid by every run before, and an
 * --offline run on a filled cache never makes a request.
 */
let http: Promise<{ fetch: typeof MakeFetchHappen; npmFetch: typeof NpmRegistryFetch }> | undefined;
function httpModules(): Promise<{ fetch: typeof MakeFetchHappen; npmFetch: typeof NpmRegistryFetch }> {
  http ??= Promise.all([import('make-fetch-happen'), import('npm-registry-fetch')]).then(([f, n]) => ({ fetch: f.default, npmFetch: n.default }));
  return http;
}

/** The Authorization header npm would send to `url`: npm-registry-fetch's own per-URL scoping of the config. */
function authorizationFor(npmFetch: typeof NpmRegistryFetch, url: string, options: Record<string, unknown>): { header?: string; cert?: string; key?: string } {
  const auth = npmFetch.getAuth(url, options);
  const header = auth.token ? `Bearer ${auth.token}` : auth.auth ? `Basic ${auth.auth}` : undefined;
  return { ...(header ? { header } : {}), ...(auth.cert ? { cert: auth.cert } : {}), ...(auth.key ? { key: auth.key } : {}) };
}

/**
 * One GET, redirects followed here: make-fetch-happen (under npm-registry-fetch) carries the first URL's
 * Authorization to another port or scheme of the same host, so each hop is asked anew. Credentials are chosen
 * by the hop's own URL (a `//host:port/:_authToken` scoped to it, or none), and headers given for the first
 * origin (PyPI's Basic auth) stay with that origin.
 */
async function attemptOnce(url: string, accept: string, settings: HttpSettings, extra: Record<string, unknown>): Promise<Attempt> {
  const origin = new URL(url).origin;
  const options: Record<string, unknown> = { registry: 'https://registry.npmjs.org/', ...settings.fetchOptions, ...extra };
  let current = url;
  try {
    const { fetch, npmFetch } = await httpModules();
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const auth = authorizationFor(npmFetch, current, options);
      const response = await fetch(current, {
        headers: { accept, ...(new URL(current).origin === origin ? settings.extraHeaders : {}), ...(auth.header ? { authorization: auth.header } : {}) },
        redirect: 'manual',
        retry: { retries: 0 },
        cache: 'no-store',
        timeout: settings.timeoutMs,
        signal: AbortSignal.timeout(settings.timeoutMs),
        proxy: options['httpsProxy'] ?? options['proxy'],
        noProxy: options['noProxy'],
        strictSSL: options['strictSSL'],
        maxSockets: options['maxSockets'],
        ...(auth.cert ? { cert: auth.cert, key: auth.key } : {}),
      });
      const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      if (location !== null) {
        await response.buffer().catch(() => undefined);
        current = new URL(location, current).href;
        continue;
      }
      if (response.status >= 400) {
        await response.buffer().catch(() => undefined);
        return classify({ statusCode: response.status, headers: { 'retry-after': response.headers.get('retry-after') ?? undefined } }, settings.secrets);
      }
      return { kind: 'done', result: { kind: 'ok', body: await response.buffer() } };
    }
    return { kind: 'done', result: { kind: 'failed', reason: `more than ${MAX_REDIRECTS} redirects` } };
  } catch (error) {
    return classify(error, settings.secrets, settings.timeoutMs);
  }
}

/** Errors our own timeout raises: AbortSignal.timeout says "the user aborted", which is not what happened. */
const TIMEOUT_CODES = new Set(['FETCH_ABORTED', 'AbortError', 'TimeoutError', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'request-timeout']);

/**
 * The reason without the URL: one warning stands for a whole registry, and which package's request failed first
 * depends on timing, so naming it would make the report differ from run to run.
 */
function withoutUrl(message: string): string {
  return message.replace(/^request to \S+ failed, reason: /, '').replace(/ (at|for):? \S+$/, '');
}

function classify(error: unknown, secrets: readonly string[], timeoutMs = 0): Attempt {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as {
    statusCode?: unknown; code?: unknown; name?: unknown; message?: unknown; headers?: unknown; type?: unknown;
  };
  const status = typeof fields.statusCode === 'number' ? fields.statusCode : undefined;
  if (status === 404) return { kind: 'done', result: { kind: 'not-found' } };
  if (status === 429 || status === 408 || (status !== undefined && status >= 500)) {
    return { kind: 'retry', reason: `HTTP ${status}`, waitMs: retryAfterMs(headerValue(fields.headers, 'retry-after')) };
  }
  if (status !== undefined) return { kind: 'done', result: { kind: 'failed', reason: `HTTP ${status}` } };
  const code = typeof fields.code === 'string' ? fields.code : typeof fields.name === 'string' ? fields.name : 'error';
  const timedOut = TIMEOUT_CODES.has(code) || (typeof fields.name === 'string' && TIMEOUT_CODES.has(fields.name)) || fields.type === 'request-timeout';
  if (timedOut) return { kind: 'retry', reason: `timed out: no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}` };
  const message = typeof fields.message === 'string' ? withoutUrl(fields.message) : '';
  const reason = redact(`${code}${message ? `: ${message}` : ''}`, secrets).split('\n')[0] ?? code;
  if (NO_RETRY_CODES.has(code)) return { kind: 'done', result: { kind: 'unreachable', reason } };
  return { kind: 'retry', reason };
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const value: unknown = (headers as Record<string, unknown>)[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
