// One redactor for every secret in play: tokens from the environment, npm and pip credentials found while the run
// goes. Every line that leaves the process (stdout, stderr, --debug, report files, the PR comment, the registry
// cache) passes through it, so that no error path can print a token it happened to quote.
import { mapStrings } from './util/control-chars.js';

const SECRET_NAME = /(token|password|passwd|secret|api_?key|_auth|credential)/i;
// The scheme starts where no scheme character precedes it: without the look-behind a long run of letters is retried
// from every position inside it, which took 24 s on one 80 KB requirements line (hostile trial #18).
const URL_USERINFO = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)([^@/\s]+)@/gi;
// npmrc keys and HTTP headers that quote a credential; `authorization` only with its scheme, so that a commit
// subject such as "authorization: handle null" stays readable.
/** What every AUTH_FIELD match contains; a cheap test before the full pattern. */
const MAY_HOLD_AUTH_FIELD = /_auth|_password|authorization/i;
const AUTH_FIELD = /(_authToken|_auth|_password)(["']?\s*[:=]\s*["']?)[^\s"',}]+|(authorization["']?\s*[:=]\s*["']?(?:Bearer|Basic|token)\s+)[^\s"',}]+/gi;

/** Values of the environment that are secrets: variables named like one, and credentials inside URLs. */
export function secretsFromEnv(env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_NAME.test(name) && value.length >= 6 && !/^(true|false|\d{1,5})$/i.test(value)) out.push(value);
    for (const [, , userinfo] of value.matchAll(URL_USERINFO)) {
      if (userinfo) out.push(userinfo, ...userinfo.split(':').map(decodeSafely));
    }
  }
  return out;
}

function decodeSafely(part: string): string {
  try { return decodeURIComponent(part); } catch { return part; }
}

/** The forms a secret takes in text: as is, URL-encoded, JSON-escaped, base64 (alone and as GitHub's basic auth). */
function variantsOf(secret: string): string[] {
  return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), Buffer.from(secret).toString('base64'),
    Buffer.from(`x-access-token:${secret}`).toString('base64')];
}

export class Redactor {
  private readonly variants = new Set<string>();
  private sorted: string[] = [];

  constructor(secrets: Iterable<string | undefined> = []) {
    this.add(secrets);
  }

  /** Secrets shorter than 4 characters are ignored: replacing them would garble ordinary text. */
  add(secrets: Iterable<string | undefined>): void {
    let isChanged = false;
    for (const secret of secrets) {
      if (!secret || secret.length < 4) continue;
      for (const variant of variantsOf(secret)) {
        if (!this.variants.has(variant)) { this.variants.add(variant); isChanged = true; }
      }
    }
    if (isChanged) this.sorted = [...this.variants].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  }

  /** Known secrets, URL credentials and auth fields replaced by `***`. */
  apply(text: string): string {
    let out = text;
    for (const secret of this.sorted) if (out.includes(secret)) out = out.split(secret).join('***');
    return out.replace(URL_USERINFO, '$1***@')
      .replace(AUTH_FIELD, (_all, key?: string, sep?: string, header?: string) => (header !== undefined ? `${header}***` : `${key}${sep}***`));
  }

  /**
   * Every string of a report (or any plain data) redacted before it is rendered. The output is redacted too, but a
   * reporter's escaping changes a secret's spelling (`ghp_x` is `ghp\\_x` in Markdown, `https://u:p@` gets a
   * zero-width space), and the changed spelling no longer matches.
   */
  applyDeep<T>(value: T): T {
    // Most values (names, versions, shas, scoped package names with their @) hold nothing to redact: only those that
    // might are run through apply(). A URL credential needs both '://' and '@'.
    const mightHold = (text: string): boolean => (text.includes('@') && text.includes('://')) || MAY_HOLD_AUTH_FIELD.test(text)
      || this.sorted.some(s => text.includes(s));
    return redactStrings(value, text => (mightHold(text) ? this.apply(text) : text));
  }

  /** Only the known secrets, for data whose shape must survive (a cached JSON document). */
  applyKnown(text: string): string {
    let out = text;
    for (const secret of this.sorted) if (out.includes(secret)) out = out.split(secret).join('***');
    return out;
  }
}

/**
 * mapStrings that copies only what changes: a 3 MB report with no secret in it comes back as the same object, where
 * copying every object and array of it took longer than writing it. Callers drop the input, so sharing is safe;
 * objects that are not plain (a Date) go through mapStrings, as before.
 */
function redactStrings<T>(value: T, map: (text: string) => string): T {
  if (typeof value === 'string') return map(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i] as unknown;
      const changed = redactStrings(v, map);
      // map() keeps holes, as mapStrings does.
      if (changed !== v) return value.map((w: unknown, j) => (j < i ? w : j === i ? changed : redactStrings(w, map))) as T;
    }
    return value;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return mapStrings(value, map);
  // Looked through first without building anything: most objects come back as they are.
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let firstChange = keys.length;
  let changedValue: unknown;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const v = record[k];
    const next = redactStrings(v, map);
    if (next !== v || map(k) !== k) { firstChange = i; changedValue = next; break; }
  }
  if (firstChange === keys.length) return value;
  const entries: [string, unknown][] = [];
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    entries.push([map(k), i < firstChange ? record[k] : i === firstChange ? changedValue : redactStrings(record[k], map)]);
  }
  return Object.fromEntries(entries) as T;
}
