import { describe, expect, it } from 'vitest';
import { languageOf } from './language.js';

describe('languageOf', () => {
  it.each([
    ['service/images.py', 'python'], ['web/App.tsx', 'typescript'], ['lib/x.mjs', 'javascript'], ['Dockerfile.prod', 'docker'],
    ['cmd/main.go', 'go'], ['deploy/values.YAML', 'yaml'], ['LICENSE', undefined], ['.env', undefined],
  ])('%s is %s', (path, language) => {
    expect(languageOf(path)).toBe(language);
  });
});
