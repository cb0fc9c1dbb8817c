import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Redactor, secretsFromEnv } from './redact.js';
import { mapStrings } from './util/control-chars.js';

describe('Redactor', () => {
  it('replaces a secret and its encodings, ignores short ones, and learns secrets later', () => {
    const redactor = new Redactor(['ghp_secret123', undefined, 'x']);
    const b64 = Buffer.from('ghp_secret123').toString('base64');
    const basic = Buffer.from('x-access-token:ghp_secret123').toString('base64');
    expect(redactor.apply(`token ghp_secret123 and ${b64} and ${basic} and x`)).toBe('token *** and *** and *** and x');
    expect(redactor.apply('npm_late_token')).toBe('npm_late_token');
    redactor.add(['npm_late_token', 'p@ss/w"rd']);
    expect(redactor.apply(`a npm_late_token b ${encodeURIComponent('p@ss/w"rd')} c ${JSON.stringify('p@ss/w"rd')}`)).toBe('a *** b *** c "***"');
  });

  it('removes URL credentials and auth fields, but leaves ordinary words alone', () => {
    const redactor = new Redactor();
    expect(redactor.apply('via http://bob:hunter22@proxy:8080 and //r.io/:_authToken=abc123')).toBe('via http://***@proxy:8080 and //r.io/:_authToken=***');
    expect(redactor.apply('authorization: Bearer abc.def')).toBe('authorization: Bearer ***');
    expect(redactor.apply('fix authorization: handle null users')).toBe('fix authorization: handle null users');
  });

  it('stays linear on a long run of letters (one 2 MB requirements line; quadratic, this took hours)', () => {
    const redactor = new Redactor();
    const run = 'x'.repeat(2_000_000);
    expect(redactor.apply(`${run} and ${run}://u:p@h`)).toBe(`${run} and ${run}://***@h`);
    expect(secretsFromEnv({ LINE: `${run}://bob:pw12@h` })).toEqual(['bob:pw12', 'bob', 'pw12']);
  });

  it('applyKnown keeps a JSON document parseable', () => {
    const redactor = new Redactor(['s3cr3t-token']);
    const doc = JSON.stringify({ deprecated: 'use s3cr3t-token instead', url: 'https://u:p@x.io' });
    expect(JSON.parse(redactor.applyKnown(doc))).toEqual({ deprecated: 'use *** instead', url: 'https://u:p@x.io' });
  });
});

describe('secretsFromEnv', () => {
  it('takes variables named like secrets and credentials inside URLs', () => {
    const found = secretsFromEnv({
      GITHUB_TOKEN: 'ghs_abcdef', NODE_AUTH_TOKEN: 'npm_123456', MY_API_KEY: 'k-987654', DB_PASSWORD: 'true',
      PIP_INDEX_URL: 'https://alice:pa%24%24word@pypi.corp/simple', HOME: '/home/me', PATH: '/usr/bin',
    });
    expect(found).toEqual(expect.arrayContaining(['ghs_abcdef', 'npm_123456', 'k-987654', 'alice:pa%24%24word', 'pa$$word']));
    expect(found).not.toContain('true');
    expect(found).not.toContain('/home/me');
  });
});

describe('Redactor.applyDeep', () => {
  it('redacts every string of a report, nested and in keys, and leaves the input untouched', () => {
    const redactor = new Redactor(['ghp_SECRETxyz123abc']);
    const report = { commits: [{ subject: 'leak ghp_SECRETxyz123abc' }], to: 'https://u:pw@host/x', n: 3, ok: true, none: null,
      byName: { 'ghp_SECRETxyz123abc': 1 } };
    expect(redactor.applyDeep(report)).toEqual({ commits: [{ subject: 'leak ***' }], to: 'https://***@host/x', n: 3, ok: true, none: null,
      byName: { '***': 1 } });
    expect(report.commits[0]?.subject).toBe('leak ghp_SECRETxyz123abc');
  });

  it('gives back the same object when nothing in it holds a secret, and copies only what changes', () => {
    const redactor = new Redactor(['ghp_SECRETxyz123abc']);
    const clean = { dependencies: [{ name: '@scope/pkg', range: 'pkg@^1.0.0', url: 'https://registry.npmjs.org/@scope/pkg' }], n: [1, [2, null]] };
    expect(redactor.applyDeep(clean)).toBe(clean);
    const report = { clean: clean.dependencies, deep: [[{ subject: 'x ghp_SECRETxyz123abc' }], 'y'] };
    const redacted = redactor.applyDeep(report);
    expect(redacted).toEqual({ clean: clean.dependencies, deep: [[{ subject: 'x ***' }], 'y'] });
    expect(redacted.clean).toBe(clean.dependencies);
    expect(report.deep).toEqual([[{ subject: 'x ghp_SECRETxyz123abc' }], 'y']);
  });

  it('says what redacting every string through a full copy says, for any plain data', () => {
    const secrets = ['ghp_SECRETxyz123abc', 'hunter22'];
    const redactor = new Redactor(secrets);
    const text = fc.oneof(fc.string(), fc.constantFrom(...secrets, 'https://u:p@h/x', '_authToken=abc', '@s/p', 'a://b', 'x@y'),
      fc.tuple(fc.string(), fc.constantFrom(...secrets, 'https://u:p@h/', 'authorization: Bearer t0k')).map(([a, b]) => a + b));
    const data = fc.letrec(tie => ({
      value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value')),
        fc.dictionary(text, tie('value'))),
    })).value;
    fc.assert(fc.property(data, value => {
      // Compared as the JSON a report becomes (a copy has Object's prototype where fast-check may give none).
      expect(JSON.stringify(redactor.applyDeep(value))).toBe(JSON.stringify(mapStrings(value, t => redactor.apply(t))));
    }), { numRuns: 500 });
  });
});
