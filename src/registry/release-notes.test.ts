import { describe, expect, it } from 'vitest';
import { versionScheme } from '../versions/index.js';
import { keptNoteLines, laterLeakFixes, retentionNotes, sortQuotes, versionSections } from './release-notes.js';

const compare = (a: string, b: string) => versionScheme('pypi').compare(a, b);

const CHANGES = `Changelog
=========

2.3.0 (2024-05-01)
------------------
- Fix memory leak when a connection is closed while a request is in flight
- Docs typo

2.2.1
-----
- Connections are now kept alive and pooled per host
- Fixed a crash on empty headers

## v2.2.0
- Response cache added (bounded by \`maxsize\`)

## 2.1.0
- plugged a leak in the retry timer
`;

describe('release notes by version', () => {
  const sections = versionSections(CHANGES.split('\n'));

  it('groups lines under rst and Markdown version headings', () => {
    expect(sections.map(s => s.version)).toEqual(['2.3.0', '2.2.1', '2.2.0', '2.1.0']);
  });

  it('takes named and dated headings as versions, but not a list item or a sentence that starts with a number', () => {
    const lines = ['## mylib 3.0.0', '- 2.0x faster parsing', 'Version 2.9.1', '1.5 times less memory than before', '### [2.9.0] - 2024-01-01', '2.8.0 (2023-12-01)', 'Fixed 1.2 regression'];
    expect(versionSections(lines).map(s => [s.version, s.lines])).toEqual([
      ['3.0.0', ['- 2.0x faster parsing']], ['2.9.1', ['1.5 times less memory than before']], ['2.9.0', []], ['2.8.0', ['Fixed 1.2 regression']],
    ]);
  });

  it('quotes leak fixes of releases after the version moved to, not those before it', () => {
    expect(laterLeakFixes(sections, 'CHANGES.rst', '2.2.1', compare)).toEqual([
      { version: '2.3.0', quote: 'Fix memory leak when a connection is closed while a request is in flight', source: 'CHANGES.rst' },
    ]);
    expect(laterLeakFixes(sections, 'CHANGES.rst', '2.3.0', compare)).toEqual([]);
  });

  it('quotes caches, pools and keep-alive announced inside the range, but not a leak fix', () => {
    expect(retentionNotes(sections, 'CHANGES.rst', '2.1.0', '2.2.1', compare).map(q => [q.version, q.quote])).toEqual([
      ['2.2.1', 'Connections are now kept alive and pooled per host'], ['2.2.0', 'Response cache added (bounded by `maxsize`)'],
    ]);
    expect(retentionNotes(sections, 'CHANGES.rst', '2.2.1', '2.3.0', compare)).toEqual([]);
  });

  it('keeps only headings and quotable lines of a long description, and orders quotes oldest release first', () => {
    expect(keptNoteLines('# mylib\nA fast library.\n## 1.2.0\n- fix leak in pool\n- new logo\n')).toEqual(['## 1.2.0', 'fix leak in pool']);
    const sorted = sortQuotes([{ version: '3.0.0', quote: 'b', source: 's' }, { version: '2.10.0', quote: 'a', source: 's' }], compare);
    expect(sorted.map(q => q.version)).toEqual(['2.10.0', '3.0.0']);
  });
});
