import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iniValues, loadPipFiles, netrcLogin, pipConfigPlaces, pipSetting, requirementIndexes, resolvePypiIndexes } from './pip-config.js';

describe('pip configuration', () => {
  it('reads [global] index-url and a multi-line extra-index-url from pip.conf, not other sections', () => {
    const conf = '[install]\nindex-url = https://wrong.example/simple\n[global]\nindex_url = https://main.example/simple\nextra-index-url =\n    https://one.example/simple\n    https://two.example/simple\ntimeout = 5\n';
    expect(iniValues(conf, 'global', 'index-url')).toEqual(['https://main.example/simple']);
    expect(iniValues(conf, 'global', 'extra-index-url')).toEqual(['https://one.example/simple', 'https://two.example/simple']);
  });

  it('reads -i, --index-url= and --extra-index-url lines of a requirements file, comments dropped', () => {
    expect(requirementIndexes('# --index-url https://commented.example\n-i https://a.example/simple\n--extra-index-url=https://b.example/simple  # mirror\nrequests==2.0\n'))
      .toEqual({ index: 'https://a.example/simple', extra: ['https://b.example/simple'] });
  });

  it('finds a host in .netrc, else the default entry', () => {
    const netrc = 'machine pypi.corp.example login deploy password s3cretPass\n# comment\ndefault login anon password anonPass\n';
    expect(netrcLogin(netrc, 'pypi.corp.example')).toEqual({ login: 'deploy', password: 's3cretPass' });
    expect(netrcLogin(netrc, 'other.example')).toEqual({ login: 'anon', password: 'anonPass' });
    expect(netrcLogin('machine a login b password c', 'x')).toBeUndefined();
  });

  it('orders the flag, PIP_INDEX_URL, a requirements index and pip.conf, adds the extras once, and takes .netrc credentials for the host', () => {
    const files = { requirements: ['-i https://req.example/simple\n--extra-index-url https://extra.example/simple\n'], pipConfs: ['[global]\nindex-url = https://conf.example/simple\n'],
      netrc: 'machine req.example login deploy password s3cretPass\n' };
    expect(resolvePypiIndexes('https://flag.example', { PIP_INDEX_URL: 'https://env.example/simple' }, files).map(i => i.base))
      .toEqual(['https://flag.example', 'https://extra.example']);
    expect(resolvePypiIndexes(undefined, { PIP_INDEX_URL: 'https://env.example/simple', PIP_EXTRA_INDEX_URL: 'https://extra.example/simple https://x2.example' }, files).map(i => i.base))
      .toEqual(['https://env.example', 'https://extra.example', 'https://x2.example']);
    const fromReq = resolvePypiIndexes(undefined, {}, files);
    expect(fromReq[0]?.base).toBe('https://req.example');
    expect(fromReq[0]?.authorization).toBe(`Basic ${Buffer.from('deploy:s3cretPass').toString('base64')}`);
    expect(fromReq[0]?.secrets).toContain('s3cretPass');
    expect(JSON.stringify(fromReq.map(i => i.base))).not.toContain('s3cret');
    expect(resolvePypiIndexes(undefined, {}, { requirements: [], pipConfs: files.pipConfs })[0]?.base).toBe('https://conf.example');
    expect(resolvePypiIndexes(undefined, {}, { requirements: [], pipConfs: [] })[0]?.base).toBe('https://pypi.org');
  });

  it('loads pip.conf from PIP_CONFIG_FILE or the XDG place, and .netrc from NETRC or HOME', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reldiff-pipconf-'));
    try {
      await mkdir(join(dir, '.config', 'pip'), { recursive: true });
      await writeFile(join(dir, '.config', 'pip', 'pip.conf'), '[global]\nindex-url = https://xdg.example/simple\n');
      await writeFile(join(dir, 'other.conf'), '[global]\nindex-url = https://explicit.example/simple\n');
      await writeFile(join(dir, '.netrc'), 'machine xdg.example login u password p4ssword\n');
      // The machine's own /etc/pip.conf is left out of the places, so that the test does not depend on it.
      const userPlaces = (env: Record<string, string>): string[] => pipConfigPlaces(env).filter(p => p.startsWith(dir));
      const home = await loadPipFiles({ HOME: dir }, [], userPlaces({ HOME: dir }));
      expect(resolvePypiIndexes(undefined, {}, home)[0]?.secrets).toContain('p4ssword');
      expect(pipSetting(home, 'index-url')).toEqual(['https://xdg.example/simple']);
      const env = { HOME: dir, PIP_CONFIG_FILE: join(dir, 'other.conf'), NETRC: join(dir, 'none') };
      const explicit = await loadPipFiles(env, [], userPlaces(env));
      expect(pipSetting(explicit, 'index-url')).toEqual(['https://explicit.example/simple']);
      expect(explicit.netrc).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads every place pip reads, the winner first, and [install] over [global] within each file', () => {
    expect(pipConfigPlaces({ HOME: '/h', VIRTUAL_ENV: '/venv', PIP_CONFIG_FILE: '/x.conf', XDG_CONFIG_DIRS: '/a:/b' })).toEqual([
      '/x.conf', '/venv/pip.conf', '/h/.config/pip/pip.conf', '/h/.pip/pip.conf', '/etc/pip.conf', '/a/pip/pip.conf', '/b/pip/pip.conf']);
    expect(pipConfigPlaces({ HOME: '/h', PIP_CONFIG_FILE: '/dev/null' })).toEqual([]);
    const site = '[global]\nindex-url = https://site-global.example/simple\n';
    const user = '[global]\nindex-url = https://user-global.example/simple\n[install]\nindex-url = https://user-install.example/simple\nproxy = http://proxy:3128\n';
    const machine = '[global]\nindex-url = https://machine.example/simple\nextra-index-url =\n  https://e1.example/simple\n  https://e2.example/simple\n';
    expect(pipSetting({ pipConfs: [site, user, machine] }, 'index-url')).toEqual(['https://site-global.example/simple']);
    expect(pipSetting({ pipConfs: [user, machine] }, 'index-url')).toEqual(['https://user-install.example/simple']);
    expect(pipSetting({ pipConfs: [user, machine] }, 'extra-index-url')).toEqual(['https://e1.example/simple', 'https://e2.example/simple']);
    expect(resolvePypiIndexes(undefined, {}, { requirements: [], pipConfs: [machine] }).map(i => i.base))
      .toEqual(['https://machine.example', 'https://e1.example', 'https://e2.example']);
  });
});
