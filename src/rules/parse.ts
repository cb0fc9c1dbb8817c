import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TreeSitter from '@vscode/tree-sitter-wasm';
import type { LineRange } from '../types.js';
import type { Language, RemovedLine, SourceFile } from './types.js';

// The package is CommonJS that assigns module.exports at run time, so named ESM imports cannot see it.
const require = createRequire(import.meta.url);
const wasmDir = dirname(require.resolve('@vscode/tree-sitter-wasm'));

/** tsx is TypeScript for the rules, but needs its own grammar. */
export type Grammar = 'python' | 'javascript' | 'typescript' | 'tsx';

const extensions: Record<string, { language: Language; grammar: Grammar }> = {
  '.py': { language: 'python', grammar: 'python' },
  '.pyi': { language: 'python', grammar: 'python' },
  '.js': { language: 'javascript', grammar: 'javascript' },
  '.mjs': { language: 'javascript', grammar: 'javascript' },
  '.cjs': { language: 'javascript', grammar: 'javascript' },
  '.jsx': { language: 'javascript', grammar: 'javascript' },
  '.ts': { language: 'typescript', grammar: 'typescript' },
  '.mts': { language: 'typescript', grammar: 'typescript' },
  '.cts': { language: 'typescript', grammar: 'typescript' },
  '.tsx': { language: 'typescript', grammar: 'tsx' },
};

/** Language and grammar from the file extension, or undefined for files no rule reads. */
export function languageForPath(path: string): { language: Language; grammar: Grammar } | undefined {
  const match = /\.[A-Za-z]+$/.exec(path);
  return match ? extensions[match[0].toLowerCase()] : undefined;
}

interface Loaded { module: typeof TreeSitter; parser: TreeSitter.Parser; language: TreeSitter.Language }
let runtime: Promise<typeof TreeSitter> | undefined;
const grammars = new Map<Grammar, Promise<Loaded>>();

function loadRuntime(): Promise<typeof TreeSitter> {
  runtime ??= (async () => {
    const module = require('@vscode/tree-sitter-wasm') as typeof TreeSitter;
    await module.Parser.init({ locateFile: (file: string) => join(wasmDir, file) });
    return module;
  })();
  return runtime;
}

/** Each grammar is loaded once per process; concurrent callers share the promise. */
export function loadGrammar(grammar: Grammar): Promise<Loaded> {
  let loaded = grammars.get(grammar);
  if (!loaded) {
    loaded = (async () => {
      const module = await loadRuntime();
      const language = await module.Language.load(join(wasmDir, `tree-sitter-${grammar}.wasm`));
      const parser = new module.Parser();
      parser.setLanguage(language);
      return { module, parser, language };
    })();
    grammars.set(grammar, loaded);
  }
  return loaded;
}

const queries = new Map<string, TreeSitter.Query>();

function compileQuery(loaded: Loaded, grammar: Grammar, source: string): TreeSitter.Query {
  const key = `${grammar}\0${source}`;
  let query = queries.get(key);
  if (!query) {
    query = new loaded.module.Query(loaded.language, source);
    queries.set(key, query);
  }
  return query;
}

/** Prepares `text` for the rules (parsed lazily); the caller must call `dispose()` when done. */
export async function parseSource(
  path: string, text: string, language: Language, grammar: Grammar, removed: readonly RemovedLine[] = [],
  added: readonly LineRange[] = [],
): Promise<SourceFile> {
  const loaded = await loadGrammar(grammar);
  let parsed: { tree: TreeSitter.Tree; root: TreeSitter.Node } | undefined;
  const parse = () => {
    if (!parsed) {
      const tree = loaded.parser.parse(text);
      if (!tree) throw new Error(`tree-sitter returned no tree for ${path}`);
      parsed = { tree, root: tree.rootNode };
    }
    return parsed;
  };
  return {
    path, text, language, removed, added,
    get tree() { return parse().tree; },
    get root() { return parse().root; },
    lines: text.split(/\r?\n/),
    dispose: () => { parsed?.tree.delete(); parsed = undefined; },
    query: source => compileQuery(loaded, grammar, source).captures(parse().root),
    matches: (source, options) => compileQuery(loaded, grammar, source).matches(parse().root, options),
  };
}
