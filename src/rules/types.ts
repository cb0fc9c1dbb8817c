import type { Node, QueryCapture, QueryMatch, Tree } from '@vscode/tree-sitter-wasm';
import type { LineRange, Severity } from '../types.js';

export type RuleId = string;
export type Language = 'python' | 'javascript' | 'typescript';

export interface Rule {
  id: RuleId;                               // kebab-case, equal to the file name (E Makefile.js)
  meta: {
    severity: Severity;                     // low | medium | high | critical (CT)
    description: string;                    // one line: what it flags
    why: string;                            // why it can leak: reused in docs and reasons
    message: string;                        // "… {{name}} …", filled from Hit.args (E meta.messages)
    /** Highest severity a hit can be raised to by what the code shows (Hit.severity); `severity` is the floor. */
    upTo?: Severity;
    /** Which facts raise or keep the severity: shown in the docs so a reviewer can check a verdict. */
    severityFacts?: string;
  };
  languages: readonly Language[];           // 'python' | 'javascript' | 'typescript' | …
  examples: { leaky: readonly Example[]; fine: readonly Example[] };
  detect(file: SourceFile): readonly Hit[]; // pure and synchronous; whole file text at `to`
}
/** lines: expected hits; severity: what every hit must be rated; says: text every hit's message must contain. */
export type Example = { code: string; lines?: readonly number[]; note?: string; severity?: Severity; says?: readonly string[] };
/** severity: set when the facts at this site raise the rule's floor (meta.severity); never above meta.upTo. */
/** excerpt: lines a report shows for this hit (removal rules: the removed and added lines, diff-prefixed). */
export type Hit = { line: number; args?: Record<string, string>; severity?: Severity; excerpt?: { start: number; lines: readonly string[] } };

/** A line the diff deleted, placed at the nearest line of the file at `to`. */
export interface RemovedLine { text: string; nearLine: number }

/**
 * What a rule sees: one file at `to`, parsed once, plus the lines the diff removed from it.
 * The tree is parsed on first access, so rules that bail out on a text check cost no parse.
 */
export interface SourceFile {
  path: string;
  text: string;
  language: Language;
  tree: Tree;
  root: Node;
  /** The file's lines, 0-based (line N of a hit is lines[N - 1]). */
  lines: readonly string[];
  removed: readonly RemovedLine[];
  /** Lines of the file at `to` that the diff added (empty when unknown), so removal rules can see replacements. */
  added: readonly LineRange[];
  /** Frees the tree (it lives in wasm memory); the engine calls it after the rules ran. */
  dispose(): void;
  /** Runs a tree-sitter query (compiled once per language and source) over the whole file. */
  query(source: string): QueryCapture[];
  /** Like `query`, grouped by match. */
  matches(source: string, options?: { maxStartDepth?: number }): QueryMatch[];
}

/**
 * Hit.args key for other lines of the same construct (e.g. "3,17": where the raised instance is defined):
 * the engine keeps the hit when any of them was added, not only `line`.
 */
export const RELATED_LINES_ARG = 'related';
