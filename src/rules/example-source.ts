import type { LineRange } from '../types.js';
import { parseDiffExample } from './diff-lines.js';
import { parseSource, type Grammar } from './parse.js';
import type { Language, SourceFile } from './types.js';

/** Grammar for running a rule's examples: TypeScript examples may use JSX. */
export const exampleGrammar = (language: Language): Grammar => (language === 'typescript' ? 'tsx' : language);

/** Parses an example's code; a code starting with `@@` is a diff body (see parseDiffExample). */
export async function exampleSource(
  code: string, language: Language,
): Promise<{ file: SourceFile; added: LineRange[] }> {
  const path = `example.${language === 'python' ? 'py' : language === 'javascript' ? 'js' : 'tsx'}`;
  if (code.startsWith('@@')) {
    const diff = parseDiffExample(code);
    return { file: await parseSource(path, diff.text, language, exampleGrammar(language), diff.removed, diff.added), added: diff.added };
  }
  const added = [{ start: 1, end: code.split('\n').length }];
  return { file: await parseSource(path, code, language, exampleGrammar(language), [], added), added };
}
