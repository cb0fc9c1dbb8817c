import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exampleSource } from './example-source.js';
import { rules } from './index.js';
import { renderRulesDoc } from './docs.js';
import { fillMessage, hitSeverity } from './run.js';
import type { Example, Hit, Language, Rule } from './types.js';

async function hitsOf(rule: Rule, example: Example, language: Language): Promise<Hit[]> {
  const { file } = await exampleSource(example.code, language);
  try {
    return [...rule.detect(file)];
  } finally {
    file.dispose();
  }
}

async function hitLines(rule: Rule, example: Example, language: Language): Promise<number[]> {
  return [...new Set((await hitsOf(rule, example, language)).map(hit => hit.line))].sort((a, b) => a - b);
}

describe.each(rules.map(rule => [rule.id, rule] as const))('%s', (_id, rule) => {
  for (const language of rule.languages) {
    rule.examples.leaky.forEach((example, index) => {
      it(`${language}: leaky #${index + 1} reports exactly lines ${JSON.stringify(example.lines ?? [])}`, async () => {
        expect(await hitLines(rule, example, language)).toEqual([...(example.lines ?? [])].sort((a, b) => a - b));
      });
      if (example.severity || example.says) {
        it(`${language}: leaky #${index + 1} is rated ${example.severity ?? rule.meta.severity} and its message states the facts`, async () => {
          for (const hit of await hitsOf(rule, example, language)) {
            expect(hitSeverity(rule, hit)).toBe(example.severity ?? rule.meta.severity);
            const message = fillMessage(rule.meta.message, hit.args);
            for (const fact of example.says ?? []) expect(message).toContain(fact);
          }
        });
      }
    });
    rule.examples.fine.forEach((example, index) => {
      it(`${language}: fine #${index + 1} reports nothing`, async () => {
        expect(await hitLines(rule, example, language)).toEqual([]);
      });
    });
  }
});

describe('fine examples are fine for every rule', () => {
  const cases = rules.flatMap(owner => owner.examples.fine.map((example, index) => [`${owner.id} fine #${index + 1}`, owner, example] as const));
  it.each(cases)('%s', async (_name, owner, example) => {
    for (const language of owner.languages) {
      const { file } = await exampleSource(example.code, language);
      try {
        const noisy = rules.filter(rule => rule.languages.includes(language) && rule.detect(file).length > 0).map(rule => rule.id);
        expect(noisy, language).toEqual([]);
      } finally {
        file.dispose();
      }
    }
  });
});

describe('rule set', () => {
  it('has at least 25 rules covering python, javascript and typescript', () => {
    expect(rules.length).toBeGreaterThanOrEqual(25);
    for (const language of ['python', 'javascript', 'typescript'] as const) {
      expect(rules.filter(rule => rule.languages.includes(language)).length).toBeGreaterThanOrEqual(10);
    }
  });

  it.each(rules.map(rule => [rule.id, rule] as const))('%s: meta is complete and consistent', (id, rule) => {
    const source = readFileSync(new URL(`./${id}.ts`, import.meta.url), 'utf8');
    expect(source).toMatch(/^const rule: Rule = /m);
    expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(rule.languages.length).toBeGreaterThan(0);
    expect(rule.examples.leaky.length).toBeGreaterThan(0);
    expect(rule.examples.fine.length).toBeGreaterThan(0);
    for (const example of rule.examples.leaky) expect(example.lines?.length ?? 0).toBeGreaterThan(0);
    const codes = [...rule.examples.leaky, ...rule.examples.fine].map(example => example.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const text of [rule.meta.description, rule.meta.why, rule.meta.message]) expect(text.trim()).not.toBe('');
    expect(rule.meta.description).not.toMatch(/TODO/);
  });

  it.each(rules.filter(rule => rule.meta.upTo).map(rule => [rule.id, rule] as const))(
    '%s: severity follows facts, and the examples show both its floor and its ceiling', (_id, rule) => {
      expect(rule.meta.severityFacts?.trim()).toBeTruthy();
      for (const example of rule.examples.leaky) expect(example.severity, example.code).toBeDefined();
      const rated = new Set(rule.examples.leaky.map(example => example.severity));
      expect(rated).toContain(rule.meta.severity);
      expect(rated).toContain(rule.meta.upTo);
    });

  it('ids are unique and the registry is sorted', () => {
    const ids = rules.map(rule => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('src/rules/index.ts is generated and up to date', () => {
    const script = new URL('../../scripts/gen-rule-index.js', import.meta.url).pathname;
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('docs/rules.md is generated from the rules and up to date', () => {
    const doc = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
    expect(doc, 'run `npm run build && node scripts/gen-rule-docs.js`').toBe(renderRulesDoc(rules));
  });
});
