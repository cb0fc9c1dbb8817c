import { describe, expect, it } from 'vitest';
import { validateConfig } from './schema.js';
import { formatPath, suggest } from './describe.js';

describe('validateConfig', () => {
  it('accepts a full, valid config', () => {
    const json = {
      $schema: './node_modules/reldiff/schema/config.schema.json',
      ignore: { packages: ['@types/*'], paths: ['docs/**'] },
      rules: { 'module-level-exception-instance': 'critical', 'unbounded-cache': 'off' },
      weights: { change: { major: 30 }, signals: { 'native-code': 40, 'custom-signal': 3 }, source: { binary: 0 } },
      levels: { medium: 0.2, high: 0.5, critical: 0.9 },
      lockfiles: { include: ['**/package-lock.json'], exclude: ['examples/**'] },
      failOn: 'high',
    };
    const result = validateConfig(json);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.config).toEqual(json);
  });

  it('accepts an empty object', () => {
    expect(validateConfig({})).toEqual({ config: {}, warnings: [], errors: [] });
  });

  it('reports every problem at once, one message each, with its path', () => {
    const result = validateConfig({
      ignore: { packages: 'lodash', path: ['x'] },
      rules: { 'unbounded-cache': 'fatal' },
      weights: { change: { major: 'big' }, direct: -1, nope: 1 },
      levels: { high: 2 },
      failOn: 3,
    });
    expect(result.config).toBeUndefined();
    expect(result.errors).toEqual([
      'failOn: expected string, got number 3',
      'ignore.packages: expected array, got string "lodash"',
      'ignore.path: unknown key "path"; did you mean "paths"?',
      'levels.high: must be <= 1, got 2',
      'rules.unbounded-cache: must be one of "off", "low", "medium", "high", "critical", got "fatal"',
      'weights.change.major: expected number, got string "big"',
      'weights.direct: must be >= 0, got -1',
      'weights.nope: unknown key "nope" (allowed: change, direct, devFactor, libraryPinFactor, signals, defaultSignal, source, finding, squash, levels, evidence, commitOthersFactor, testFirstMinScore, testFirstCount)',
    ]);
  });

  it('names unknown top-level keys and suggests the closest', () => {
    expect(validateConfig({ fail_on: 'high' }).errors).toEqual(['fail_on: unknown key "fail_on"; did you mean "failOn"?']);
    expect(validateConfig({ ignores: {} }).errors).toEqual(['ignores: unknown key "ignores"; did you mean "ignore"?']);
  });

  it('refuses a root that is not an object', () => {
    expect(validateConfig([]).errors).toEqual(['(root): expected object, got array']);
    expect(validateConfig(null).errors).toEqual(['(root): expected object, got null']);
  });

  it('refuses empty globs and non-kebab rule ids', () => {
    expect(validateConfig({ ignore: { paths: ['ok/**', ''] } }).errors).toEqual(['ignore.paths[1]: must not be empty']);
    expect(validateConfig({ rules: { BadRule: 'off' } }).errors).toEqual(['rules: rule id "BadRule" is not a kebab-case rule id']);
  });

  it('checks that level thresholds rise, across levels and weights.levels', () => {
    expect(validateConfig({ levels: { high: 0.2 } }).errors).toEqual([
      'levels: thresholds must rise: medium (0.3) < high (0.2) < critical (0.85)',
    ]);
    const both = validateConfig({ levels: { high: 0.7 }, weights: { levels: { high: 0.5 } } });
    expect(both.errors).toEqual([]);
    expect(both.warnings).toEqual(['weights.levels: also set by "levels", which wins; keep one of them']);
  });

  it('warns about unknown rule ids when the rule list is given', () => {
    const result = validateConfig({ rules: { 'unbounded-cach': 'off', 'listener-leak': 'high' } },
      { ruleIds: ['listener-leak', 'unbounded-cache'] });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual(['rules.unbounded-cach: unknown rule; did you mean "unbounded-cache"?']);
  });
});

describe('formatPath and suggest', () => {
  it('formats JSON pointers the way keys are typed', () => {
    expect(formatPath('')).toBe('(root)');
    expect(formatPath('/a/b/0/c')).toBe('a.b[0].c');
    expect(formatPath('/rules/a~1b')).toBe('rules["a/b"]');
  });
  it('suggests only close words', () => {
    expect(suggest('failon', ['failOn', 'ignore'])).toBe('failOn');
    expect(suggest('zzzzzz', ['failOn', 'ignore'])).toBeUndefined();
  });
});
