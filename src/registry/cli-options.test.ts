import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRegistry } from '../../test/helpers/registry-server.js';
import type { Io } from '../cli/io.js';
import { ReldiffError } from '../errors.js';
import { enrichFromFlags, parseDeep, parsePypiUrl } from './cli-options.js';

const io = (isStderrTTY: boolean, env: Record<string, string>, err: string[]): Io => ({
  cwd: '/', env, stdout: () => {}, stderr: t => err.push(t), isStdoutTTY: false, isStderrTTY,
});

describe('registry flags', () => {
  it('parses --deep and --pypi-url, refusing bad values with a user error', () => {
    expect(parseDeep(undefined)).toBeUndefined();
    expect(parseDeep('0')).toBe(0);
    expect(() => parseDeep('-1')).toThrow(ReldiffError);
    expect(() => parseDeep('many')).toThrow(/--deep needs a whole number/);
    expect(parsePypiUrl('https://pypi.example.test/simple')).toBe('https://pypi.example.test/simple');
    expect(() => parsePypiUrl('ftp://u:secret@x')).toThrow(/\*\*\*@/);
  });

  it('draws progress on a terminal only, and clears it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reldiff-flags-'));
    const server = await startRegistry();
    try {
      const env = { HOME: dir, npm_config_registry: server.url };
      const changes = () => [{ ecosystem: 'npm' as const, lockfile: 'l', name: 'ghost', from: '1.0.0', to: '1.1.0', fromVersions: [], toVersions: [],
        change: 'minor' as const, direct: true, dev: false, signals: [], commits: [] }];
      for (const tty of [true, false]) {
        const err: string[] = [];
        const hook = enrichFromFlags({ 'cache-dir': join(dir, 'cache'), deep: '0' }, io(tty, env, err), dir);
        const { warnings } = await hook(changes(), { toDate: '2024-01-01T00:00:00Z' });
        expect(warnings).toEqual(['1 package not found on their registry: ghost']);
        expect(err.length > 0).toBe(tty);
        if (tty) expect(err.join('')).toContain('registry  1/1 [####################]');
      }
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
