// Markdown that no repository value can break out of: no HTML, no links, no mentions, no table cells, and no
// terminal escape or bidi override (a PR comment is also read with `gh pr view` in a terminal).
import { capValue as capped, cleanLine } from '../util/control-chars.js';
import { extent } from '../util/arrays.js';

export { MAX_VALUE_CHARS } from '../util/control-chars.js';

/**
 * Plain text: the characters that make inline Markdown or HTML escaped, at the start of a block (`isBlockStart`)
 * a leading character that could open a list or heading escaped too, and autolinks, e-mail links and mentions broken with a
 * zero-width space. Issue references (`#2394`) keep working: they notify nobody and are what a reader follows.
 * Ordinary punctuation (dots, dashes, colons) stays as it is, so the raw text stays readable.
 */
export function mdText(text: string, isBlockStart = false): string {
  const inline = capped(cleanLine(text))
    .replace(/[\\`*_{}[\]()#!|<>&~@$]/g, ch => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`))
    // Mentions only start after a non-word character (GitHub's own rule); they would notify someone.
    .replace(/(^|[^A-Za-z0-9])\\@/g, '$1\\@\u200b')
    // `#123` after a non-word character is an issue reference: left raw so that GitHub links it (it opens no heading,
    // which needs a space after the #).
    .replace(/(^|[^A-Za-z0-9\\])\\#(?=\d+\b)/g, '$1#')
    // name@domain.tld would become a mailto link.
    .replace(/\\@(?=[A-Za-z0-9-]+\.[A-Za-z])/g, '\\@\u200b')
    .replace(/:\/\//g, ':\u200b//')
    .replace(/\bwww\./gi, m => `${m.slice(0, 3)}\u200b.`);
  return isBlockStart ? inline.replace(/^[-+=]/, '\\$&').replace(/^(\d+)([.)])/, '$1\\$2') : inline;
}

/** A code span: nothing inside is markup. Pipes are escaped so that it is safe inside a table cell. */
export function mdCode(text: string): string {
  const flat = capped(cleanLine(text)).replace(/\|/g, '\\|');
  const longest = Math.max(0, extent([...flat.matchAll(/`+/g)].map(m => m[0].length)).max);
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
