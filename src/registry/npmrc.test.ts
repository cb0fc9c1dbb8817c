import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadNpmConfig, parseNpmrc, redact, registryFor, secretsOf, toFetchOptions } from './npmrc.js';

describe('parseNpmrc', () => {
  it('reads keys, scoped registries and per-host tokens, expanding ${VAR}', () => {
    const config = parseNpmrc([
      '; comment', '# comment', 'registry=https://npm.example.test/',
      '@acme:registry = "https://acme.example.test/npm/"',
      '//acme.example.test/npm/:_authToken=${ACME_TOKEN}',
      'optional=${MISSING?}', 'literal=${MISSING}', 'escaped=\\${ACME_TOKEN}',
    ].join('\n'), { ACME_TOKEN: 'tok-123456' });
    expect(config).toEqual({
      registry: 'https://npm.example.test/',
      '@acme:registry': 'https://acme.example.test/npm/',
      '//acme.example.test/npm/:_authToken': 'tok-123456',
      optional: '', literal: '${MISSING}', escaped: '${ACME_TOKEN}',
    });
  });

  it('picks the scoped registry for scoped names only', () => {
    const config = { registry: 'https://npm.example.test', '@acme:registry': 'https://acme.example.test/npm/' };
    expect(registryFor('@acme/widget', config)).toBe('https://acme.example.test/npm/');
    expect(registryFor('@other/widget', config)).toBe('https://npm.example.test/');
    expect(registryFor('lodash', {})).toBe('https://registry.npmjs.org/');
  });

  it('keeps auth keys verbatim and camel-cases proxies for npm-registry-fetch', () => {
    expect(toFetchOptions({ '//h/:_authToken': 't', 'https-proxy': 'http://p:8080', proxy: 'http://q', noproxy: 'localhost', color: 'false' }))
      .toEqual({ '//h/:_authToken': 't', httpsProxy: 'http://p:8080', proxy: 'http://q', noProxy: 'localhost' });
  });
});

describe('loadNpmConfig', () => {
  let dir = '';
  afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('lets the project override the user file, and npm_config_* override both', async () => {
    dir = await mkdtemp(join(tmpdir(), 'reldiff-npmrc-'));
    await writeFile(join(dir, '.npmrc'), 'registry=https://project.example.test/\nfoo=project\n');
    await writeFile(join(dir, 'user.npmrc'), 'registry=https://user.example.test/\nfoo=user\nbar=user\n');
    const env = { NPM_CONFIG_USERCONFIG: join(dir, 'user.npmrc'), npm_config_foo: 'env' };
    const config = await loadNpmConfig(dir, env);
    expect(config['registry']).toBe('https://project.example.test/');
    expect(config['bar']).toBe('user');
    expect(config['foo']).toBe('env');
  });
});

describe('redact', () => {
  it('removes tokens, basic auth parts and URL credentials', () => {
    const basic = Buffer.from('alice:s3cretpass').toString('base64');
    const secrets = secretsOf({ '//h/:_authToken': 'npm_abcdef123', '//g/:_auth': basic, proxy: 'http://bob:hunter22@proxy:8080' });
    const text = redact(`token npm_abcdef123 auth ${basic} pw s3cretpass via http://bob:hunter22@proxy:8080 authorization: Bearer xyz`, secrets);
    for (const secret of ['npm_abcdef123', basic, 's3cretpass', 'hunter22', 'Bearer xyz']) expect(text).not.toContain(secret);
  });
});
