import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { Report } from './model.js';
import { buildSarif, sarifReporter } from './sarif.js';

const schema = JSON.parse(readFileSync(new URL('../../test/fixtures/sarif-2.1.0.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
// ajv-formats is CommonJS: its default export arrives as the function or as `{ default }`, depending on the loader.
const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ?? addFormatsPlugin) as (a: Ajv) => void;
addFormats(ajv);
const validate = ajv.compile(schema);

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

function scenario(): Report {
  return {
    schemaVersion: 1, tool: { name: 'reldiff', version: '1.2.3' },
    from: { ref: 'v1.0.0', commit: A }, to: { ref: 'v1.1.0', commit: B },
    commits: [{ sha: B, subject: 'cache errors', author: 'Dev', date: '2026-01-01T00:00:00Z', risk: 0.9 }],
    dependencies: [],
    findings: [
      { rule: 'module-level-exception-instance', severity: 'high', file: 'src/image handler.py', line: 12,
        message: 'IMAGE_ERROR is created once at import time', commits: [B] },
      { rule: 'custom-plugin-rule', severity: 'low', file: 'src/a.py', line: 3, message: 'silenced', commits: [B], ignored: 'known, bounded' },
    ],
    ranking: [
      { rank: 1, id: 'src:src/image handler.py', kind: 'source', score: 0.9, level: 'critical', title: 'src/image handler.py',
        reasons: ['rule hit'], file: 'src/image handler.py', commits: [B] },
      { rank: 2, id: 'dep:npm:package-lock.json:sharp', kind: 'dependency', score: 0.7, level: 'high', title: 'sharp 0.32.6 → 0.33.1',
        reasons: ['native code'], dependency: { ecosystem: 'npm', name: 'sharp', lockfile: 'package-lock.json' }, commits: [B],
        acknowledged: { reason: 'reviewed in #12' } },
      { rank: 3, id: 'dep:npm:package-lock.json:ms', kind: 'dependency', score: 0.1, level: 'low', title: 'ms 2.1.2 → 2.1.3',
        reasons: [], dependency: { ecosystem: 'npm', name: 'ms', lockfile: 'package-lock.json' }, commits: [B] },
    ],
    bisect: { testFirst: [B], commands: [] }, warnings: [],
  };
}

describe('sarif reporter', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    const log = JSON.parse(sarifReporter.render(scenario(), { color: false, top: 10 })) as unknown;
    expect(validate(log), ajv.errorsText(validate.errors)).toBe(true);
    const empty = JSON.parse(sarifReporter.render({ ...scenario(), findings: [], ranking: [] }, { color: false, top: 10 })) as unknown;
    expect(validate(empty), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('the schema is strict enough to catch a broken log', () => {
    const log = buildSarif(scenario());
    const broken = JSON.parse(JSON.stringify(log)) as { runs: { results: { locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    const first = broken.runs[0]?.results[0]?.locations[0];
    if (first) first.physicalLocation.region.startLine = 0;
    expect(validate(broken)).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });

  it('maps findings and risky dependencies to results with rule metadata, file and line', () => {
    const run = buildSarif(scenario()).runs[0];
    expect(run?.tool.driver.rules.map(r => [r.id, r.defaultConfiguration.level])).toEqual([
      ['custom-plugin-rule', 'warning'], ['module-level-exception-instance', 'error'], ['risky-dependency-change', 'warning'],
    ]);
    const known = run?.tool.driver.rules[1];
    expect(known?.help.text.length).toBeGreaterThan(20);
    expect(run?.results.map(r => [r.ruleId, r.ruleIndex, r.level, r.locations[0]?.physicalLocation.artifactLocation.uri,
      r.locations[0]?.physicalLocation.region.startLine, 'suppressions' in r ? r.suppressions?.[0]?.kind : undefined])).toEqual([
      ['risky-dependency-change', 2, 'error', 'package-lock.json', 1, 'external'],
      ['custom-plugin-rule', 0, 'note', 'src/a.py', 3, 'inSource'],
      ['module-level-exception-instance', 1, 'error', 'src/image%20handler.py', 12, undefined],
    ]);
  });

  it('is byte-for-byte deterministic whatever the input order', () => {
    const a = scenario();
    const b = { ...a, findings: [...a.findings].reverse(), ranking: [...a.ranking].reverse() };
    expect(sarifReporter.render(b, { color: false, top: 1 })).toBe(sarifReporter.render(a, { color: false, top: 10 }));
  });
});
