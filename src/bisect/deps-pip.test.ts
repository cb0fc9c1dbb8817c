import { describe, expect, it } from 'vitest';
import { isPipWithPythonOption, requirementsIndexUrls, trialPins, venvCommand } from './deps-pip.js';

describe('trialPins', () => {
  it('applies the upgrades to from\'s pins by PEP 503 name, keeps extras and markers, and drops options, includes and hashes', () => {
    const from = '--index-url https://example.test/simple\n-r base.txt\nRequests[socks]==2.31.0 \\\n    --hash=sha256:abc\nzope.interface==6.0 ; python_version >= "3"\npytz==2023.3\n# comment\n';
    const out = trialPins(from, [{ name: 'requests', from: '2.31.0', to: '2.32.3' }, { name: 'Zope-Interface', from: '6.0', to: '6.4' }]);
    expect(out).toBe('Requests[socks]==2.32.3\npytz==2023.3\nzope.interface==6.4 ; python_version >= "3"\n');
  });
  it('adds an upgrade that the from file did not pin itself (it came through an include)', () => {
    expect(trialPins('a==1\n', [{ name: 'b', from: '1', to: '2' }])).toBe('a==1\nb==2\n');
  });
});

describe('isPipWithPythonOption', () => {
  it('is true from pip 22.3 on, when the user\'s pip can install into a venv made without pip', () => {
    expect(['pip 22.2.2 from x', 'pip 22.3 from x', 'pip 23.2.1 from x (python 3.11)', 'pip 9.0.1', 'nonsense'].map(isPipWithPythonOption))
      .toEqual([false, true, true, false, false]);
  });
});

describe('requirementsIndexUrls', () => {
  it('reads the index options of a requirements file, in each spelling pip takes', () => {
    const text = '--index-url https://a.example/simple\n-i https://a.example/simple\n--extra-index-url=https://b.example/simple\n  --extra-index-url   http://127.0.0.1:9/simple/ # local\nrequests==2.32.3\n';
    expect(requirementsIndexUrls(text)).toEqual(['http://127.0.0.1:9/simple/', 'https://a.example/simple', 'https://b.example/simple']);
    expect(requirementsIndexUrls('-i https://pypi.org/simple/\nrequests==2.32.3\n--find-links ./wheels\n')).toEqual([]);
  });
});

describe('venvCommand', () => {
  it('makes the venv with uv when it is on PATH, for the same interpreter, seeding pip only when the user\'s pip cannot install into it', () => {
    expect(venvCommand('/usr/bin/python3.11', '/tmp/v 1', true, '/opt/uv/uv')).toEqual({ command: "'/opt/uv/uv' venv --quiet --python '/usr/bin/python3.11' '/tmp/v 1'", what: 'uv venv' });
    expect(venvCommand('/usr/bin/python3.11', '/tmp/v', false, '/opt/uv/uv').command).toBe("'/opt/uv/uv' venv --quiet --python '/usr/bin/python3.11' --seed '/tmp/v'");
  });
  it('uses the interpreter\'s own venv module without uv', () => {
    expect(venvCommand('/usr/bin/python3.11', '/tmp/v', true)).toEqual({ command: "'/usr/bin/python3.11' -m venv --without-pip '/tmp/v'", what: 'python3 -m venv' });
    expect(venvCommand('/usr/bin/python3.11', '/tmp/v', false).command).toBe("'/usr/bin/python3.11' -m venv '/tmp/v'");
  });
});
