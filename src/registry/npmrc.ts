import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redactor } from '../redact.js';

// npm's own precedence: environment (npm_config_*) > project .npmrc > user .npmrc. Keys are kept as npm spells
// them, because npm-registry-fetch looks up `//host/path/:_authToken` and `@scope:registry` by those exact names.

export type NpmConfig = Record<string, string>;

const SECRET_SUFFIXES = [':_authToken', ':_auth', ':_password', ':password', ':username', ':token'];

/** Parses one .npmrc (ini without sections), expanding `${VAR}` and `${VAR?}` from `env`. */
export function parseNpmrc(text: string, env: Record<string, string | undefined>): NpmConfig {
  const config: NpmConfig = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';') || line.startsWith('[')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = expandEnv(line.slice(0, eq).trim(), env);
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && /^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    config[key] = expandEnv(value, env);
  }
  return config;
}

function expandEnv(text: string, env: Record<string, string | undefined>): string {
  // npm leaves an unset `${VAR}` literally in place; `${VAR?}` becomes empty.
  return text.replace(/(\\*)\$\{([^${}?]+)(\?)?\}/g, (whole, escapes: string, name: string, optional?: string) => {
    if (escapes.length % 2 === 1) return whole.slice(1);
    const value = env[name];
    if (value !== undefined) return escapes + value;
    return optional ? escapes : whole;
  });
}

/** `npm_config_https_proxy=…` → `https-proxy`; keys with `//` or `@` keep their case. */
export function npmrcFromEnv(env: Record<string, string | undefined>): NpmConfig {
  const config: NpmConfig = {};
  for (const [name, value] of Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (value === undefined || !/^npm_config_/i.test(name)) continue;
    const key = name.slice('npm_config_'.length);
    const normal = key.startsWith('//') || key.startsWith('@') ? key : key.toLowerCase().replace(/_/g, '-');
    config[normal] = value;
  }
  return config;
}

/** Reads the user's and the project's .npmrc and the environment, as npm would. Missing files are fine. */
export async function loadNpmConfig(projectDir: string, env: Record<string, string | undefined>): Promise<NpmConfig> {
  const home = env['HOME'] ?? env['USERPROFILE'];
  const userFile = env['NPM_CONFIG_USERCONFIG'] ?? env['npm_config_userconfig'] ?? (home ? join(home, '.npmrc') : undefined);
  const user = userFile ? parseNpmrc(await readOptional(userFile), env) : {};
  const project = parseNpmrc(await readOptional(join(projectDir, '.npmrc')), env);
  return { ...user, ...project, ...npmrcFromEnv(env) };
}

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

/** The registry for a package name: `@scope:registry` first, then `registry`, then the public one. */
export function registryFor(name: string, config: NpmConfig): string {
  const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined;
  const url = (scope ? config[`${scope}:registry`] : undefined) ?? config['registry'] ?? 'https://registry.npmjs.org/';
  return url.endsWith('/') ? url : `${url}/`;
}

/** Options for npm-registry-fetch: auth keys verbatim (it matches them per URL), proxies camel-cased. */
export function toFetchOptions(config: NpmConfig): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith('//') || /^@[^:]+:registry$/.test(key) || key === 'registry') options[key] = value;
  }
  if (config['https-proxy']) options['httpsProxy'] = config['https-proxy'];
  if (config['proxy']) options['proxy'] = config['proxy'];
  const noProxy = config['noproxy'] ?? config['no-proxy'];
  if (noProxy) options['noProxy'] = noProxy;
  if (config['strict-ssl'] === 'false') options['strictSSL'] = false;
  if (config['user-agent']) options['userAgent'] = config['user-agent'];
  return options;
}

/** Every value that must never be printed: tokens, passwords and credentials inside proxy or registry URLs. */
export function secretsOf(config: NpmConfig): string[] {
  const secrets = new Set<string>();
  for (const [key, value] of Object.entries(config)) {
    if (value.length < 4) continue;
    if (SECRET_SUFFIXES.some(suffix => key.endsWith(suffix)) || key === '_auth' || key === '_authToken') {
      secrets.add(value);
      const decoded = decodeBase64(value);
      if (decoded) for (const part of decoded.split(':')) if (part.length >= 4) secrets.add(part);
    }
    const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^@/]+)@/i.exec(value)?.[1];
    if (userinfo) for (const part of [userinfo, ...userinfo.split(':')]) if (part.length >= 4) secrets.add(part);
  }
  return [...secrets].sort((a, b) => b.length - a.length);
}

function decodeBase64(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const text = Buffer.from(value, 'base64').toString('utf8');
  return /^[\x20-\x7e]+$/.test(text) ? text : undefined;
}

/** Removes secrets and URL credentials from text bound for a warning, an error or --debug. */
export function redact(text: string, secrets: readonly string[]): string {
  return new Redactor(secrets).apply(text);
}
