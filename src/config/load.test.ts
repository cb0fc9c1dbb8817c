import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReldiffError, formatUserError } from '../errors.js';
import { loadConfig } from './load.js';

let dir = '';
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'reldiff-config-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function errorOf(promise: Promise<unknown>): Promise<ReldiffError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ReldiffError) return error;
    throw error;
  }
  throw new Error('expected a ReldiffError');
}

describe('loadConfig', () => {
  it('returns no config when the default file is absent', async () => {
    expect(await loadConfig({ repoRoot: dir, cwd: dir })).toEqual({ config: undefined, warnings: [] });
  });

  it('reads reldiff.config.json at the repository root', async () => {
    await writeFile(join(dir, 'reldiff.config.json'), '\uFEFF{ "failOn": "medium" }\n');
    const loaded = await loadConfig({ repoRoot: dir, cwd: '/' });
    expect(loaded.config).toEqual({ failOn: 'medium' });
    expect(loaded.path).toBe(join(dir, 'reldiff.config.json'));
  });

  it('reads --config relative to cwd and requires it to exist', async () => {
    await writeFile(join(dir, 'other.json'), '{ "rules": { "x-rule": "off" } }');
    const loaded = await loadConfig({ repoRoot: '/nonexistent', cwd: dir, configPath: 'other.json', ruleIds: ['listener-leak'] });
    expect(loaded.config).toEqual({ rules: { 'x-rule': 'off' } });
    expect(loaded.warnings).toEqual([`${join(dir, 'other.json')}: rules.x-rule: unknown rule`]);
    const missing = await errorOf(loadConfig({ repoRoot: dir, cwd: dir, configPath: 'missing.json' }));
    expect(missing.code).toBe('file-not-found');
  });

  it('gives one line naming every problem', async () => {
    await writeFile(join(dir, 'bad.json'), '{ "failOn": "fatal", "ignore": { "pakages": [] } }');
    const error = await errorOf(loadConfig({ repoRoot: dir, cwd: dir, configPath: 'bad.json' }));
    expect(error.code).toBe('bad-config');
    const line = formatUserError(error);
    expect(line).not.toContain('\n');
    expect(line).toContain('has 2 problems: failOn: must be one of "none", "low", "medium", "high", "critical", got "fatal"; ignore.pakages: unknown key "pakages"; did you mean "packages"?');
  });

  it('explains invalid JSON', async () => {
    await writeFile(join(dir, 'broken.json'), '{ "failOn": "high", }');
    const error = await errorOf(loadConfig({ repoRoot: dir, cwd: dir, configPath: 'broken.json' }));
    expect(error.message).toMatch(/broken\.json is not valid JSON/);
    expect(error.hint).toMatch(/no trailing commas/);
  });
});
