import type { FileChange, Reason } from '../types.js';

// Coarse, language-agnostic signals read from the diff text alone. The tree-sitter rules are precise; these make
// sure a diff still says something when no rule knows the language.

/**
 * Added forms that take over a removed cleanup: a scoped resource (`with`, `using`, try/finally) closes what an
 * explicit close() did; an index assignment overwrites what `del` + `append` evicted and re-added.
 */
const REPLACED_BY: Record<string, RegExp> = {
  'a close/destroy call': /^\s*(async\s+)?with\b|\busing\s*\(|\bawait\s+using\b|^\s*using\s|\bfinally\b|\bcontextlib\./,
  'an eviction': /\w\[[^\]]+\]\s*=[^=]/,
};

const CLEANUP: readonly [RegExp, string][] = [
  [/\b(removeListener|removeEventListener|removeAllListeners)\s*\(|\.off\s*\(/, 'listener removal'],
  [/\b(clearInterval|clearTimeout|clearImmediate)\s*\(/, 'timer clearing'],
  [/\.(close|destroy|dispose|unref|release|terminate|end)\s*\(\s*\)/, 'a close/destroy call'],
  [/\b(unsubscribe|unobserve|disconnect|abort)\s*\(/, 'an unsubscribe'],
  [/\b(maxsize|maxlen|max_size|maxSize|max)\s*[=:]\s*\d+/, 'a size bound'],
  [/^\s*finally\s*(:|\{)|\}\s*finally\s*\{/, 'a finally block'],
  [/\.(delete|discard|pop|clear|remove)\s*\(|^\s*del\s+\w/, 'an eviction'],
  [/\bremoveHandler\s*\(/, 'a logging handler removal'],
];

const ERROR_HANDLING = /^\s*(raise\b|throw\b|except\b|try\s*[:{]|catch\s*[({]|\}\s*catch\b)/;
// Empty containers only: a module-level `new Set(['a', 'b'])` is a constant, an empty one is there to be filled.
const MODULE_STATE = /^(?:export\s+)?(?:const|let|var)\s+[\w$]+\s*(?::[^=]+)?=\s*(?:new\s+(?:Map|Set|Array)\s*(?:<[^>]*>)?\(\s*\)|\{\s*\}|\[\s*\])\s*;?\s*$|^[A-Za-z_]\w*\s*(?::[^=]+)?=\s*(?:\{\s*\}|\[\s*\]|set\(\)|dict\(\)|list\(\)|defaultdict\(\w*\))\s*$/;

export function sourceHeuristics(file: FileChange): Reason[] {
  const added: { line: number; text: string }[] = [];
  const removed: { line: number; text: string }[] = [];
  for (const h of file.hunks) {
    let newLine = h.newStart;
    let oldLine = h.oldStart;
    for (const l of h.lines) {
      if (l.startsWith('+')) added.push({ line: newLine++, text: l.slice(1) });
      else if (l.startsWith('-')) removed.push({ line: oldLine++, text: l.slice(1) });
    }
  }
  const reasons: Reason[] = [];
  const stillThere = new Set(added.map(a => a.text.trim()));
  const seen = new Set<string>();
  // The same kind of cleanup among the added lines (`clearInterval(this.timer)` -> `clearInterval(timer)`),
  // or a scoped form that replaces it, means it changed shape, not that it went away. Asked once per pattern, not
  // once per removed line: a big rewrite has thousands of both, and the nested scan was most of a far-apart run.
  const kept: (boolean | undefined)[] = [];
  const isKept = (k: number, pattern: RegExp, what: string): boolean =>
    (kept[k] ??= added.some(a => pattern.test(a.text) || REPLACED_BY[what]?.test(a.text) === true));
  // A deleted file took its allocations with it: nothing it cleaned up is left to leak.
  for (const r of file.status === 'deleted' ? [] : removed) {
    if (stillThere.has(r.text.trim())) continue; // moved, not deleted
    for (let k = 0; k < CLEANUP.length; k++) {
      const [pattern, what] = CLEANUP[k] as [RegExp, string];
      if (!seen.has(what) && pattern.test(r.text) && !isKept(k, pattern, what)) {
        seen.add(what);
        reasons.push({ id: 'src-removed-cleanup', args: { what, line: r.line } });
      }
    }
  }
  // In a new file every line is new: only a change to existing error handling says something.
  const errorLines = file.status === 'added' ? 0 : added.filter(a => ERROR_HANDLING.test(a.text)).length;
  if (errorLines > 0) reasons.push({ id: 'src-error-handling', args: { count: errorLines } });
  const state = added.find(a => MODULE_STATE.test(a.text));
  if (state) reasons.push({ id: 'src-module-state', args: { line: state.line, text: state.text.trim().slice(0, 60) } });
  return reasons;
}
