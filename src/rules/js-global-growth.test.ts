import { describe, expect, it } from 'vitest';
import { exampleSource } from './example-source.js';
import rule from './js-global-growth.js';

describe('js-global-growth in TypeScript', () => {
  it('sees a global reached through a type assertion or a non-null assertion', async () => {
    const code = 'export function seen(req: { url: string }) {\n  (globalThis as any).seen.push(req.url);\n  window!.visits.push(req.url);\n}\n';
    const { file } = await exampleSource(code, 'typescript');
    expect(rule.detect(file).map(h => [h.line, h.args?.['name']])).toEqual([[2, 'globalThis.seen'], [3, 'window.visits']]);
  });
});
