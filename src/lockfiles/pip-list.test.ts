import { describe, expect, it } from 'vitest';
import format, { parsePipList } from './pip-list.js';

const COLUMNS = `Package            Version     Editable project location
------------------ ----------- ---------------------------
charset-normalizer 3.3.2
Django             4.2.7
mypkg              0.1.0       /src/mypkg
zope.interface     6.1

[notice] A new release of pip is available: 23.2 -> 24.0
`;

describe('pip list', () => {
  it('reads the columns and the JSON format to the same packages', () => {
    const text = parsePipList(COLUMNS, 'image-a.txt');
    const json = parsePipList(JSON.stringify([
      { name: 'Django', version: '4.2.7' }, { name: 'zope.interface', version: '6.1' },
      { name: 'charset-normalizer', version: '3.3.2' }, { name: 'mypkg', version: '0.1.0', editable_project_location: '/src/mypkg' },
    ]), 'image-a.json');
    if (!text.ok || !json.ok) throw new Error('did not parse');
    expect(text.value.packages.map(p => `${p.name}@${p.version}`)).toEqual(['charset-normalizer@3.3.2', 'django@4.2.7', 'mypkg@0.1.0', 'zope-interface@6.1']);
    expect(json.value.packages).toEqual(text.value.packages);
    expect(text.value.packages[2]?.facts.resolved).toBe('/src/mypkg');
  });

  it('rejects a table without its header and a bad row with its line', () => {
    expect(parsePipList('Django 4.2\n', 'x.txt').ok).toBe(false);
    const r = parsePipList('Package Version\n------- -------\nDjango\n', 'x.txt');
    expect(r.ok).toBe(false);
    if (!r.ok) { expect(r.error.line).toBe(3); expect(r.error.message).toContain('(pip-list)'); }
    expect(parsePipList('[{"name": 1}]', 'x.json').ok).toBe(false);
  });

  it('sniffs both shapes by content', () => {
    expect(format.detect('before.txt', COLUMNS)).toBe(true);
    expect(format.detect('before.json', '[{"name": "a", "version": "1"}]')).toBe(true);
    expect(format.detect('before.json', '{"name": "a"}')).toBe(false);
  });
});
