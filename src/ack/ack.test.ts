import { describe, expect, it } from 'vitest';
import { ReldiffError } from '../errors.js';
import type { Report, ReportRankingItem } from '../report/model.js';
import { isFailOnReached } from '../config/gate.js';
import { applyAcknowledgements } from './apply.js';
import { isIsoDate, parseAckFile, removeAck, serializeAckFile, upsertAck, type AckFile } from './model.js';

function item(id: string, level: ReportRankingItem['level']): ReportRankingItem {
  return { rank: 1, id, kind: 'dependency', score: 0.7, level, title: id, reasons: [], commits: [] };
}

function report(ranking: ReportRankingItem[]): Report {
  return { schemaVersion: 1, tool: { name: 'reldiff', version: '0.0.0' }, from: { ref: 'a', commit: 'a'.repeat(40) },
    to: { ref: 'b', commit: 'b'.repeat(40) }, commits: [], dependencies: [], findings: [], ranking,
    bisect: { testFirst: [], commands: [] }, warnings: ['earlier warning'] };
}

describe('ack store format', () => {
  it('serializes sorted, with fixed key order, 2-space JSON and a final newline', () => {
    let file: AckFile = { version: 1, acknowledged: [] };
    file = upsertAck(file, { id: 'src:b.py', reason: 'second', date: '2026-01-02' });
    file = upsertAck(file, { until: '2026-12-31', reason: 'first', id: 'dep:npm:package-lock.json:sharp' });
    file = upsertAck(file, { id: 'src:b.py', reason: 'replaced' });
    const text = serializeAckFile(file);
    expect(text).toBe(`{
  "version": 1,
  "acknowledged": [
    {
      "id": "dep:npm:package-lock.json:sharp",
      "reason": "first",
      "until": "2026-12-31"
    },
    {
      "id": "src:b.py",
      "reason": "replaced"
    }
  ]
}
`);
    expect(serializeAckFile(parseAckFile(text))).toBe(text);
    expect(removeAck(file, 'src:b.py').acknowledged.map(a => a.id)).toEqual(['dep:npm:package-lock.json:sharp']);
  });

  it('refuses malformed stores with the entry named', () => {
    const cases: [string, RegExp][] = [
      ['not json', /is not valid JSON/],
      ['[]', /must be \{ "version": 1/],
      ['{"version":1,"acknowledged":[{"id":"x","reason":"r"}]}', /acknowledged\[0\]: "id" must be an item id/],
      ['{"version":1,"acknowledged":[{"id":"src:a","reason":""}]}', /acknowledged\[0\]: "reason"/],
      ['{"version":1,"acknowledged":[{"id":"src:a","reason":"r","until":"2026-02-30"}]}', /"until" must be a date/],
      ['{"version":1,"acknowledged":[{"id":"src:a","reason":"r","by":"me"}]}', /unknown key "by"/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseAckFile(text)).toThrow(ReldiffError);
      expect(() => parseAckFile(text)).toThrow(message);
    }
  });

  it('checks calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-2-29')).toBe(false);
  });
});

describe('applyAcknowledgements', () => {
  const ranking = [item('dep:npm:package-lock.json:sharp', 'critical'), item('src:app.py', 'high')];

  it('marks acknowledged items so they do not trip --fail-on', () => {
    const out = applyAcknowledgements(report(ranking), [
      { id: 'dep:npm:package-lock.json:sharp', reason: 'native bump reviewed', until: '2026-06-30' },
      { id: 'src:app.py', reason: 'bounded cache' },
      { id: 'src:not-in-this-diff.py', reason: 'old' },
    ], '2026-06-30');
    expect(out.ranking.map(r => r.acknowledged)).toEqual([
      { reason: 'native bump reviewed', until: '2026-06-30' }, { reason: 'bounded cache' },
    ]);
    expect(out.warnings).toEqual(['earlier warning']);
    expect(isFailOnReached(out, 'low')).toBe(false);
    expect(isFailOnReached(report(ranking), 'critical')).toBe(true);
  });

  it('lets expired acknowledgements trip the gate again, with a warning', () => {
    const out = applyAcknowledgements(report(ranking), [
      { id: 'dep:npm:package-lock.json:sharp', reason: 'reviewed', until: '2026-06-29' },
    ], '2026-06-30');
    expect(out.ranking[0]?.acknowledged).toBeUndefined();
    expect(isFailOnReached(out, 'critical')).toBe(true);
    expect(out.warnings[1]).toMatch(/^acknowledgement of dep:npm:package-lock.json:sharp expired on 2026-06-29/);
  });

  it('leaves the input untouched', () => {
    const input = report(ranking);
    const before = JSON.stringify(input);
    applyAcknowledgements(input, [{ id: 'src:app.py', reason: 'r' }], '2026-01-01');
    expect(JSON.stringify(input)).toBe(before);
  });
});
