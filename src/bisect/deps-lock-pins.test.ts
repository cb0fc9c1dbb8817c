import { describe, expect, it } from 'vitest';
import type { InstallSet } from '../lockfiles/install-pins.js';
import { lockPinSource, mergePins, renderPins } from './deps-lock-pins.js';

const from: InstallSet = {
  pins: [
    { name: 'colorama', version: '0.4.5', marker: 'sys_platform == "win32"' },
    { name: 'Leak_Py', version: '1.0' },
    { name: 'mylib', version: '0.1.0', path: 'libs/mylib' },
    { name: 'numpy', version: '1.26.4', marker: 'python_version < "3.12"' },
    { name: 'numpy', version: '2.0.0', marker: 'python_version >= "3.12"' },
  ],
  excluded: ['sentry-sdk'],
};

describe('mergePins', () => {
  it('replaces an upgraded package\'s pins (every fork of it) by the to lock\'s, marker and source included', () => {
    const to: InstallSet = { pins: [{ name: 'numpy', version: '2.1.0' }, { name: 'leak-py', version: '1.1', url: 'https://files.example/leak_py-1.1-py3-none-any.whl' }], excluded: [] };
    expect(mergePins(from, to, [{ name: 'numpy', from: '1.26.4', to: '2.1.0' }, { name: 'leak-py', from: '1.0', to: '1.1' }])).toEqual([
      from.pins[0], from.pins[2], { name: 'numpy', version: '2.1.0' }, { name: 'leak-py', version: '1.1', url: 'https://files.example/leak_py-1.1-py3-none-any.whl' },
    ]);
  });
  it('adds an upgrade of a package the from lock lacks, as the to lock pins it, or as name==to without a to lock', () => {
    const to: InstallSet = { pins: [{ name: 'brand-new', version: '2.0', marker: 'os_name == "posix"' }], excluded: [] };
    const up = [{ name: 'brand-new', from: '1.0', to: '2.0' }];
    expect(mergePins(from, to, up).at(-1)).toEqual({ name: 'brand-new', version: '2.0', marker: 'os_name == "posix"' });
    expect(mergePins(from, undefined, up).at(-1)).toEqual({ name: 'brand-new', version: '2.0' });
  });
  it('keeps out a package that a plain install leaves out, and keeps from\'s marker when there is no to lock', () => {
    const to: InstallSet = { pins: [], excluded: ['sentry-sdk'] };
    expect(mergePins(from, to, [{ name: 'sentry-sdk', from: '1.0', to: '2.0' }])).toEqual(from.pins);
    expect(mergePins(from, undefined, [{ name: 'sentry-sdk', from: '1.0', to: '2.0' }])).toEqual(from.pins);
    // Installed at from, an extra at to: the to side's install has no copy of it.
    expect(mergePins(from, { pins: [], excluded: ['leak-py'] }, [{ name: 'Leak_Py', from: '1.0', to: '1.1' }]).map(p => p.name)).not.toContain('Leak_Py');
    expect(mergePins(from, undefined, [{ name: 'colorama', from: '0.4.5', to: '0.4.6' }])[4]).toEqual({ name: 'colorama', version: '0.4.6', marker: 'sys_platform == "win32"' });
  });
});

describe('renderPins', () => {
  it('writes name==version ; marker, name @ url, and a path source as a file: URL under the lockfile\'s folder, sorted', () => {
    expect(renderPins([...from.pins, { name: 'forked', version: '1', url: 'git+https://github.com/example/forked@abc' }], '/tmp/wt one/svc')).toEqual({ ok: true, text: [
      'Leak_Py==1.0', 'colorama==0.4.5 ; sys_platform == "win32"', 'forked @ git+https://github.com/example/forked@abc',
      'mylib @ file:///tmp/wt%20one/svc/libs/mylib', 'numpy==1.26.4 ; python_version < "3.12"', 'numpy==2.0.0 ; python_version >= "3.12"', '',
    ].join('\n') });
  });
  it('refuses a value that would write a pip option or another line into the pin file', () => {
    for (const pin of [{ name: 'a', version: '1', marker: 'x == "1"\n--index-url http://evil.example/' }, { name: '--pre', version: '1' },
      { name: 'a', version: '1 --no-binary :all:' }]) {
      const out = renderPins([pin], '/tmp');
      expect(out.ok).toBe(false);
      if (!out.ok) expect(out.reason).toMatch(/^the lock's entry for \S+ .* cannot be written as a pin$/);
    }
  });
});

describe('lockPinSource', () => {
  const lock = (v: string) => `version = 1\nrequires-python = ">=3.10"\n\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { virtual = "." }\ndependencies = [{ name = "leak-py" }, { name = "six", marker = "python_version >= '3'" }]\n\n[[package]]\nname = "leak-py"\nversion = "${v}"\nsource = { registry = "https://pypi.org/simple" }\n\n[[package]]\nname = "six"\nversion = "1.16.0"\nsource = { registry = "https://pypi.org/simple" }\n`;
  it('reads the from lock in the worktree and the to lock once, and names a broken from lock in the reason', async () => {
    let reads = 0;
    const source = lockPinSource('uv-lock', 'uv.lock', async () => { reads++; return lock('1.1'); });
    const up = [{ name: 'leak-py', from: '1.0', to: '1.1' }];
    expect(await source(lock('1.0'), up, '/w')).toEqual({ ok: true, text: 'leak-py==1.1\nsix==1.16.0 ; python_version >= \'3\'\n' });
    expect(await source(lock('1.0'), [], '/w')).toEqual({ ok: true, text: 'leak-py==1.0\nsix==1.16.0 ; python_version >= \'3\'\n' });
    expect(reads).toBe(1);
    const broken = await source('version = 7\n', up, '/w');
    expect(broken).toMatchObject({ ok: false, reason: expect.stringMatching(/^uv\.lock:1 \(uv-lock\) has version 7/) });
  });
});

describe('lockPinSource and the lock\'s indexes', () => {
  const lock = (v: string, registry: string) => `version = 1\n\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { virtual = "." }\ndependencies = [{ name = "leak-py" }]\n\n[[package]]\nname = "leak-py"\nversion = "${v}"\nsource = { registry = "${registry}" }\n`;
  it('gives the indexes both locks name besides PyPI, the to lock\'s too', async () => {
    const source = lockPinSource('uv-lock', 'uv.lock', async () => lock('1.1', 'https://new.example/simple'));
    const out = await source(lock('1.0', 'https://old.example/simple'), [{ name: 'leak-py', from: '1.0', to: '1.1' }], '/w');
    expect(out).toEqual({ ok: true, text: 'leak-py==1.1\n', indexes: ['https://new.example/simple', 'https://old.example/simple'] });
    const pypiOnly = lockPinSource('uv-lock', 'uv.lock', async () => lock('1.1', 'https://pypi.org/simple'));
    expect(await pypiOnly(lock('1.0', 'https://pypi.org/simple'), [], '/w')).toEqual({ ok: true, text: 'leak-py==1.0\n' });
  });
});
