import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import format, { fetchRequirementFiles, listRequirementIncludes, parseRequirements } from './requirements.js';
import { readFixture } from '../../test/helpers/fixtures.js';

const read = (tag: string): string => readFixture(`requirements/freedomofpress__securedrop@${tag}/develop-requirements.txt`);

/** Reference: a plain regex. A "package" is a line starting with `name==version` (pip-compile writes one per pin). */
function referenceKeys(text: string): Set<string> {
  return new Set([...text.matchAll(/^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)/gm)]
    .map(m => `${(m[1] ?? '').toLowerCase().replace(/[-_.]+/g, '-')}@${m[2] ?? ''}`));
}
function parsed(text: string, path = 'requirements.txt', readInclude?: (p: string) => string | undefined) {
  const r = parseRequirements(text, path, readInclude);
  if (!r.ok) throw new Error(r.error.message);
  return r;
}
const keys = (text: string): Set<string> => new Set(parsed(text).value.packages.map(p => `${p.name}@${p.version}`));
const minus = (a: Set<string>, b: Set<string>): string[] => [...a].filter(x => !b.has(x)).sort();

describe('pip-compile output (securedrop 2.9.0 -> 2.10.0, --hash and \\ continuations)', () => {
  it('counts the same pins as the regex', () => {
    for (const tag of ['2.9.0', '2.10.0']) expect(keys(read(tag))).toEqual(referenceKeys(read(tag)));
    expect(referenceKeys(read('2.10.0')).size).toBe(128);
  });

  it('gives the same diff as the reference', () => {
    const [a, b] = [read('2.9.0'), read('2.10.0')];
    expect(minus(keys(b), keys(a))).toEqual(['certifi@2024.7.4', 'setuptools@70.3.0']);
    expect(minus(keys(b), keys(a))).toEqual(minus(referenceKeys(b), referenceKeys(a)));
    expect(minus(keys(a), keys(b))).toEqual(minus(referenceKeys(a), referenceKeys(b)));
  });

  it('reads "# via -r" as direct, other "# via" as transitive, and the dev file name as dev', () => {
    const r = parsed(read('2.10.0'), 'requirements/python3/develop-requirements.txt');
    const by = new Map(r.value.packages.map(p => [p.name, p]));
    expect(by.get('ansible')?.direct).toBe(true); // via -r ... and via ansible-lint
    expect(by.get('ansible-core')?.direct).toBe(false); // via ansible
    expect(by.get('ansible')?.dev).toBe(true);
    expect(r.warnings).toEqual([]);
  });
});

describe('requirements edge cases', () => {
  it('refuses an operator with no version, naming the line', () => {
    const r = parseRequirements('flask==3.0.0\nrequests===\n', 'requirements.txt');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/requirements\.txt:2 .*operator with no version \(===\)/);
  });

  it('reads markers, extras, === pins, hashes, URLs, editable VCS and unpinned requirements', () => {
    const text = [
      '# comment', '--index-url https://pypi.org/simple', '',
      'Django==4.2.1 ; python_version >= "3.8"  # inline comment',
      'requests[socks,security]==2.31.0 \\', '    --hash=sha256:ab12 \\', '    --hash=sha256:cd34',
      'legacy===1.0-weird',
      'Flask>=2.0,<3',
      'six',
      '-e git+https://github.com/example/mylib.git@v1.2#egg=my_lib',
      'pkg @ https://example.com/pkg-1.0.tar.gz ; sys_platform == "linux"',
      'https://files.example.com/wheel_pkg-2.0-py3-none-any.whl',
      '-e .',
    ].join('\n');
    const r = parsed(text);
    expect(r.value.packages.map(p => [p.name, p.version])).toEqual([
      ['.', '.'],
      ['django', '4.2.1'],
      ['flask', '>=2.0,<3'],
      ['legacy', '1.0-weird'],
      ['my-lib', 'git+https://github.com/example/mylib.git@v1.2#egg=my_lib'],
      ['pkg', 'https://example.com/pkg-1.0.tar.gz'],
      ['requests', '2.31.0'],
      ['six', '*'],
      ['wheel-pkg', 'https://files.example.com/wheel_pkg-2.0-py3-none-any.whl'],
    ]);
    expect(r.value.packages.every(p => p.direct && !p.dev)).toBe(true);
    expect(r.warnings.join('\n')).toMatch(/flask is not pinned/);
    expect(r.warnings.join('\n')).toMatch(/six is not pinned/);
  });

  it('follows -r includes and uses -c constraints to pin, relative to the including file', () => {
    const files: Record<string, string> = {
      'reqs/base.txt': 'attrs==23.1.0\nurllib3\n',
      'reqs/constraints.txt': 'urllib3==2.0.4\nnot-required==9\n',
    };
    const main = '-r base.txt\n-c constraints.txt\n-r ../missing.txt\npytest==7.4.0\n';
    expect(listRequirementIncludes(main, 'reqs/requirements-dev.txt')).toEqual([
      { constraint: false, path: 'reqs/base.txt', line: 1 },
      { constraint: true, path: 'reqs/constraints.txt', line: 2 },
      { constraint: false, path: 'missing.txt', line: 3 },
    ]);
    const r = parsed(main, 'reqs/requirements-dev.txt', p => files[p]);
    expect(r.value.packages.map(p => [p.name, p.version, p.dev])).toEqual([
      ['attrs', '23.1.0', false], ['pytest', '7.4.0', true], ['urllib3', '2.0.4', false],
    ]);
    expect(r.warnings).toEqual(['reqs/requirements-dev.txt:3: included file missing.txt is missing']);
  });

  it('fetches a file and its nested includes through the caller\'s reader, once each', async () => {
    const files: Record<string, string> = { 'r/main.txt': '-r a.txt\n-c ../c.txt\n', 'r/a.txt': '-r main.txt\nx==1\n', 'c.txt': 'x==1\n' };
    const asked: string[] = [];
    const got = await fetchRequirementFiles('r/main.txt', async p => { asked.push(p); return files[p]; });
    expect(asked).toEqual(['r/main.txt', 'r/a.txt', 'c.txt']);
    expect(parsed(files['r/main.txt'] ?? '', 'r/main.txt', p => got.get(p)).value.packages.map(p => p.name)).toEqual(['x']);
  });

  it('stops on include cycles', () => {
    const files: Record<string, string> = { 'a.txt': '-r b.txt\nx==1\n', 'b.txt': '-r a.txt\ny==2\n' };
    expect(parsed(files['a.txt'] ?? '', 'a.txt', p => files[p]).value.packages.map(p => p.name)).toEqual(['x', 'y']);
  });

  it('rejects a malformed line, naming file, format and line', () => {
    const r = parseRequirements('flask==2.0\nfoo ==> 1\n', 'requirements.txt');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.line).toBe(2);
    expect(r.error.message).toContain('requirements.txt:2 (requirements)');
    expect(r.error.message).toContain('foo ==> 1');
    expect(parseRequirements('--frobnicate\n', 'requirements.txt').ok).toBe(false);
  });

  it('detects by name and sniffs pip freeze output', () => {
    expect(format.detect('requirements.txt', '')).toBe(true);
    expect(format.detect('deploy/prod-requirements.txt', '')).toBe(true);
    expect(format.detect('constraints-3.11.txt', '')).toBe(true);
    expect(format.detect('notes.txt', '')).toBe(false);
    expect(format.detect('image-freeze.txt', 'Django==4.2\n-e git+https://x/y.git#egg=y\nsix==1.16.0\n')).toBe(true);
    expect(format.detect('notes.txt', 'hello world\n')).toBe(false);
  });

  it('gives the same set whatever the line order (property)', () => {
    const lines = ['a==1', 'b==2.0', 'c[x]==3 ; python_version < "3.9"', 'd @ https://x/d-1.tar.gz', 'e>=1'];
    fc.assert(fc.property(fc.shuffledSubarray(lines, { minLength: 5, maxLength: 5 }), order => {
      expect(parsed(order.join('\n')).value).toEqual(parsed(lines.join('\n')).value);
    }));
  });
});
