import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolvePypiIndex } from './pypi.js';
import type { PypiIndex } from './pypi.js';

// Which Python indexes to ask, as pip itself would be configured: --pypi-url, else PIP_INDEX_URL, else an
// `--index-url` line of a changed requirements file, else pip.conf's [global] index-url; extra indexes from
// PIP_EXTRA_INDEX_URL, `--extra-index-url` lines and pip.conf. Credentials come from the URL or from .netrc for that
// host, and are sent only to that host (see http.ts for redirects). The texts are read by the caller (I/O at the edge).

export interface PipFiles {
  /** pip.conf / pip.ini text, the first one found. */
  pipConf?: string;
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
  const conf = files.pipConf ?? '';
  const main = flag ?? env['PIP_INDEX_URL'] ?? fromRequirements.find(r => r.index)?.index ?? iniValues(conf, 'global', 'index-url')[0] ?? 'https://pypi.org';
  const extras = [
    ...(env['PIP_EXTRA_INDEX_URL'] ?? '').split(/\s+/).filter(u => u !== ''),
    ...fromRequirements.flatMap(r => r.extra),
    ...iniValues(conf, 'global', 'extra-index-url'),
  ];
  const out: PypiIndex[] = [];
  for (const raw of [main, ...extras]) {
    const index = resolvePypiIndex(withNetrc(raw, files.netrc), {});
    if (!out.some(o => o.base === index.base)) out.push(index);
  }
  return out;
}

/** pip's proxy: PIP_PROXY, else pip.conf's [global] proxy (HTTPS_PROXY and friends are honoured by the HTTP agent). */
export function resolvePipProxy(env: Record<string, string | undefined>, files: PipFiles): { proxy?: string; secrets: string[] } {
  const proxy = env['PIP_PROXY'] || iniValues(files.pipConf ?? '', 'global', 'proxy')[0];
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

/** pip's config file places (PIP_CONFIG_FILE first) and .netrc (NETRC first), read from disk. */
export async function loadPipFiles(env: Record<string, string | undefined>, requirements: readonly string[]): Promise<PipFiles> {
  const home = env['HOME'] ?? homedir();
  const xdg = env['XDG_CONFIG_HOME'] ?? join(home, '.config');
  // PIP_CONFIG_FILE=os.devnull is pip's documented way to read no config at all.
  const confPaths = env['PIP_CONFIG_FILE'] !== undefined ? [env['PIP_CONFIG_FILE']] : [join(xdg, 'pip', 'pip.conf'), join(home, '.pip', 'pip.conf')];
  const pipConf = await readFirst(confPaths);
  const netrc = await readFirst([env['NETRC'] ?? join(home, '.netrc')]);
  return { requirements, ...(pipConf !== undefined ? { pipConf } : {}), ...(netrc !== undefined ? { netrc } : {}) };
}
