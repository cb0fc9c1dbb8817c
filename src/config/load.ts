import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { ReldiffError } from '../errors.js';
import { validateConfig, type ReldiffConfig } from './schema.js';

export const CONFIG_FILE = 'reldiff.config.json';

export interface LoadedConfig {
  config: ReldiffConfig | undefined;
  /** The file read, absent when there was none. */
  path?: string;
  warnings: string[];
}

export interface LoadConfigOptions {
  repoRoot: string;
  /** `--config`, relative to `cwd`. When given, the file must exist. */
  configPath?: string;
  cwd: string;
  ruleIds?: readonly string[];
}

/** Reads `--config` or `reldiff.config.json` at the repository root; throws one ReldiffError listing every problem. */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const explicit = options.configPath !== undefined;
  const path = explicit
    ? (isAbsolute(options.configPath ?? '') ? options.configPath ?? '' : resolve(options.cwd, options.configPath ?? ''))
    : join(options.repoRoot, CONFIG_FILE);
  const text = await readText(path, explicit);
  if (text === undefined) return { config: undefined, warnings: [] };
  return { ...parseConfigText(text, path, options.ruleIds), path };
}

/** Parses and validates config text; pure apart from the path used in messages. */
export function parseConfigText(text: string, path: string, ruleIds?: readonly string[]): Omit<LoadedConfig, 'path'> {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ReldiffError('bad-config', `${path} is not valid JSON (${detail})`,
      'The config file is plain JSON: no comments, no trailing commas');
  }
  const result = validateConfig(json, ruleIds ? { ruleIds } : {});
  if (result.errors.length > 0 || !result.config) {
    const count = result.errors.length === 1 ? '1 problem' : `${result.errors.length} problems`;
    throw new ReldiffError('bad-config', `${path} has ${count}: ${result.errors.join('; ')}`,
      'Fix each of them; docs/github-action.md#configuration lists every option');
  }
  return { config: result.config, warnings: result.warnings.map(w => `${path}: ${w}`) };
}

async function readText(path: string, required: boolean): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return undefined;
    if (code === 'ENOENT') {
      throw new ReldiffError('file-not-found', `config file ${path} does not exist`, 'Check the --config path');
    }
    throw new ReldiffError('io', `cannot read config file ${path} (${code ?? 'unknown error'})`, 'Check its permissions');
  }
}
