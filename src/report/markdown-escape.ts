// Markdown that no repository value can break out of: no HTML, no links, no mentions, no table cells.

/** Plain text: every ASCII punctuation backslash-escaped, and autolinks, mentions and issue refs broken. */
export function mdText(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|<>&~"'=:@$%^;,/?]/g, ch => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`))
    // Mentions and issue references only start after a non-word character (GitHub's own rule): break only those.
    .replace(/(^|[^A-Za-z0-9])\\([@#])/g, '$1\\$2\u200b')
    .replace(/\\:\\\/\\\//g, '\\:\u200b\\/\\/')
    .replace(/www\\\./gi, m => `${m.slice(0, 3)}\u200b${m.slice(3)}`);
}

/** A code span: nothing inside is markup. Pipes are escaped so that it is safe inside a table cell. */
export function mdCode(text: string): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map(m => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
