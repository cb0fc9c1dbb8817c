import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolvePypiIndex } from './pypi.js';
import type { PypiIndex } from './pypi.js';

// Which Python indexes to ask, as pip itself would be configured: --pypi-url, else PIP_INDEX_URL, else an
// `--index-url` line of a changed requirements file, else pip.conf's index-url; extra indexes from
// PIP_EXTRA_INDEX_URL, `--extra-index-url` lines and pip.conf. Credentials come from the URL or from .netrc for that
// host, and are sent only to that host (see http.ts for redirects). The texts are read by the caller (I/O at the edge).

export interface PipFiles {
  /** Texts of every pip.conf found, the one that wins first (pipConfigPlaces). */
  pipConfs: readonly string[];
  /** Texts of the changed requirements files. */
  requirements: readonly string[];
  netrc?: string;
}

/** `key = value` of one INI section, continuation lines joined (pip.conf allows multi-line extra-index-url). */
export function iniValues(text: string, section: string, key: string): string[] {
  const out: string[] = [];
  let current = '';
  let collecting = false;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) { current = (header[1] ?? '').trim().toLowerCase(); collecting = false; continue; }
    if (/^\s*[#;]/.test(line)) continue;
    const pair = /^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$/.exec(line);
    if (pair) {
      collecting = current === section && pair[1]?.toLowerCase().replace(/_/g, '-') === key;
      if (collecting && pair[2]?.trim()) out.push(...pair[2].trim().split(/\s+/));
    } else if (collecting && /^\s+\S/.test(line)) out.push(...line.trim().split(/\s+/));
  }
  return out;
}

/**
 * A pip setting as `pip install` reads it: files in pipConfigPlaces order, and in each its [install] section over
 * [global] (pip applies each file's global then command section, later files over earlier ones).
 */
export function pipSetting(files: Pick<PipFiles, 'pipConfs'>, key: string): string[] {
  for (const conf of files.pipConfs) {
    for (const section of ['install', 'global']) {
      const values = iniValues(conf, section, key);
      if (values.length > 0) return values;
    }
  }
  return [];
}

/** `-i URL`, `--index-url URL`, `--index-url=URL` (and the extra- forms) in a requirements file. */
export function requirementIndexes(text: string): { index?: string; extra: string[] } {
  const extra: string[] = [];
  let index: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const match = /^(-i|--index-url|--extra-index-url)(?:\s*=\s*|\s+)(\S+)/.exec(line);
    if (!match?.[2]) continue;
    if (match[1] === '--extra-index-url') extra.push(match[2]);
    else index ??= match[2];
  }
  return { ...(index ? { index } : {}), extra };
}

/** The login and password .netrc gives a host (`default` when no machine matches). */
export function netrcLogin(text: string, host: string): { login: string; password: string } | undefined {
  const tokens = text.replace(/#.*$/gm, '').split(/\s+/).filter(t => t !== '');
  let machine: string | undefined;
  const found = new Map<string, { login: string; password: string }>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === 'machine') machine = tokens[++i];
    else if (token === 'default') machine = '\0default';
    else if ((token === 'login' || token === 'password') && machine !== undefined) {
      const entry = found.get(machine) ?? { login: '', password: '' };
      entry[token] = tokens[++i] ?? '';
      found.set(machine, entry);
    }
  }
  return found.get(host) ?? found.get('\0default');
}

function withNetrc(raw: string, netrc: string | undefined): string {
  if (!netrc) return raw;
  try {
    const url = new URL(raw);
    if (url.username || url.password) return raw;
    const login = netrcLogin(netrc, url.hostname);
    if (!login) return raw;
    url.username = encodeURIComponent(login.login);
    url.password = encodeURIComponent(login.password);
    return url.toString();
  } catch {
    return raw;
  }
}

/** The main index first, then the extra ones, each once. */
export function resolvePypiIndexes(flag: string | undefined, env: Record<string, string | undefined>, files: PipFiles): PypiIndex[] {
  const fromRequirements = files.requirements.map(requirementIndexes);
  const main = flag ?? env['PIP_INDEX_URL'] ?? fromRequirements.find(r => r.index)?.index ?? pipSetting(files, 'index-url')[0] ?? 'https://pypi.org';
  const extras = [
    ...(env['PIP_EXTRA_INDEX_URL'] ?? '').split(/\s+/).filter(u => u !== ''),
    ...fromRequirements.flatMap(r => r.extra),
    ...pipSetting(files, 'extra-index-url'),
  ];
  const out: PypiIndex[] = [];
  for (const raw of [main, ...extras]) {
    const index = resolvePypiIndex(withNetrc(raw, files.netrc), {});
    if (!out.some(o => o.base === index.base)) out.push(index);
  }
  return out;
}

/** pip's proxy: PIP_PROXY, else pip.conf's proxy (HTTPS_PROXY and friends are honoured by the HTTP agent). */
export function resolvePipProxy(env: Record<string, string | undefined>, files: PipFiles): { proxy?: string; secrets: string[] } {
  const proxy = env['PIP_PROXY'] || pipSetting(files, 'proxy')[0];
  if (!proxy) return { secrets: [] };
  const secrets: string[] = [proxy];
  try {
    const url = new URL(proxy);
    for (const part of [decodeURIComponent(url.username), decodeURIComponent(url.password)]) if (part.length >= 4) secrets.push(part);
  } catch { /* a proxy that is not a URL is still never printed */ }
  return { proxy, secrets };
}

async function readFirst(paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) {
    try {
      return await readFile(path, 'utf8');
    } catch { /* try the next place pip looks */ }
  }
  return undefined;
}

/**
 * Where pip reads its configuration (https://pip.pypa.io/en/stable/topics/configuration/), the one that wins first:
 * PIP_CONFIG_FILE, the virtual environment's pip.conf (site), the user's (XDG, then the legacy ~/.pip), then the
 * machine's (/etc/pip.conf, then each XDG_CONFIG_DIRS folder). PIP_CONFIG_FILE=os.devnull means no file at all.
 */
export function pipConfigPlaces(env: Record<string, string | undefined>): string[] {
  const explicit = env['PIP_CONFIG_FILE'];
  if (explicit === '/dev/null' || explicit === 'nul') return [];
  const home = env['HOME'] ?? homedir();
  const xdg = env['XDG_CONFIG_HOME'] || join(home, '.config');
  const dirs = (env['XDG_CONFIG_DIRS'] || '/etc/xdg').split(':').filter(d => d !== '');
  return [
    ...(explicit ? [explicit] : []),
    ...(env['VIRTUAL_ENV'] ? [join(env['VIRTUAL_ENV'], 'pip.conf')] : []),
    join(xdg, 'pip', 'pip.conf'), join(home, '.pip', 'pip.conf'),
    '/etc/pip.conf', ...dirs.map(d => join(d, 'pip', 'pip.conf')),
  ];
}

async function readAll(paths: readonly string[]): Promise<string[]> {
  const texts = await Promise.all(paths.map(path => readFile(path, 'utf8').catch(() => undefined)));
  return texts.filter((t): t is string => t !== undefined);
}

/** pip's config files (pipConfigPlaces, or the places given) and .netrc (NETRC first), read from disk. */
export async function loadPipFiles(env: Record<string, string | undefined>, requirements: readonly string[],
  places: readonly string[] = pipConfigPlaces(env)): Promise<PipFiles> {
  const home = env['HOME'] ?? homedir();
  const pipConfs = await readAll(places);
  const netrc = await readFirst([env['NETRC'] ?? join(home, '.netrc')]);
  return { requirements, pipConfs, ...(netrc !== undefined ? { netrc } : {}) };
}
