import { isTable, readToml, str, tables } from '../lockfiles/toml.js';
import { Redactor, secretsFromEnv } from '../redact.js';
import type { FormatId } from '../types.js';
import { cleanLine } from '../util/control-chars.js';

// The package indexes a Python lock names besides PyPI, for the trial's `pip install --no-deps`: a package that only a
// private index has installs only when pip is told of it. They are passed as --extra-index-url lines of the pins
// file, so pip's own index (its configuration) stays the default and the credentials in a URL stay off the command
// line. poetry.lock: `[package.source]` of type legacy (type url is an archive's address, pinned as `name @ url`
// already); uv.lock: `source = { registry = ... }`; Pipfile.lock: `_meta.sources`. pdm.lock records no index.

/** The index URLs as the lock writes them, PyPI's own left out; nothing for a lock that does not read. */
export function lockIndexUrls(format: FormatId, text: string | undefined): string[] {
  if (text === undefined) return [];
  const urls: string[] = [];
  if (format === 'pipfile-lock') {
    try {
      const sources = (JSON.parse(text) as { _meta?: { sources?: unknown } } | null)?._meta?.sources;
      for (const s of Array.isArray(sources) ? sources : []) if (isTable(s) && typeof s.url === 'string') urls.push(s.url);
    } catch { /* the pin source reports a lock that does not parse */ }
  } else if (format === 'poetry-lock' || format === 'uv-lock') {
    const doc = readToml(text, format, format, '');
    for (const entry of doc.ok ? tables(doc.table.package) : []) {
      const source = isTable(entry.source) ? entry.source : {};
      const url = format === 'uv-lock' ? str(source.registry) : source.type === 'legacy' ? str(source.url) : undefined;
      if (url !== undefined) urls.push(url);
    }
  }
  return [...new Set(urls)].filter(u => !isPypi(u)).sort();
}

/** pypi.org's simple index (and its old name), which pip asks already unless configured otherwise. */
export function isPypi(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && (u.hostname === 'pypi.org' || u.hostname === 'pypi.python.org') && /^\/simple\/?$/.test(u.pathname);
  } catch {
    return false;
  }
}

/**
 * The URLs pip may be given, and a warning for each refused: only http(s) (a `file:` or `ssh:` index from a lock is
 * not for pip to read on the lock's word), never one that starts with `-` (pip would read an option), nor one with
 * whitespace or control characters (it would end the line in the pins file). Credentials are never in a warning.
 */
export function checkIndexUrls(urls: readonly string[]): { urls: string[]; warnings: string[] } {
  const redactor = new Redactor(urlSecrets(urls));
  const ok: string[] = [];
  const warnings: string[] = [];
  for (const url of urls) {
    let protocol = '';
    try { protocol = new URL(url).protocol; } catch { /* refused below */ }
    if (!url.startsWith('-') && !/[\s\x00-\x1f\x7f]/.test(url) && (protocol === 'http:' || protocol === 'https:')) { ok.push(url); continue; }
    warnings.push(`the lock names the package index ${cleanLine(redactor.apply(url)).slice(0, 160)}, which is not an http(s) URL; it is not passed to pip`);
  }
  return { urls: ok, warnings };
}

/** The user and password parts of URLs, for a redactor (secretsFromEnv reads them out of any value). */
export function urlSecrets(urls: readonly string[]): string[] {
  return secretsFromEnv(Object.fromEntries(urls.map((u, i) => [`index${i}`, u])));
}
