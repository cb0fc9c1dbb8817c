// One cleaning function for every value that came from a repository or a registry (commit subjects, paths, package
// names, lockfile lines, registry text), whatever the output: terminal, Markdown, HTML, SARIF, error lines, bisect.
// A raw ESC, BEL, C1 or bidi override in that text could retitle or clear the user's terminal, recolour it, or make
// a file name read backwards in a review. Each such character becomes a visible escape (`\x1b`, `\u202e`), so the
// text stays readable and says what was there. Tab and newline stay where a format allows them.

/** C0 but tab and newline, DEL, C1, and the bidi embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_ONE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** The visible form of one unsafe character: `\x1b` up to U+00FF, `\u202e` above. */
export function visibleEscape(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text with every unsafe character made visible; tab, newline and the CR of a CRLF are kept. */
export function cleanText(text: string): string {
  return String(text).replace(/\r\n/g, '\n').replace(UNSAFE, visibleEscape);
}

/** One line: tabs, newlines and CRs become one space (as a flattened line always read), the rest as `cleanText`. */
export function cleanLine(text: string): string {
  return String(text).replace(/[\r\n\t]+/g, ' ').replace(UNSAFE, visibleEscape);
}

/**
 * Characters of one repository value shown in the terminal or Markdown. A commit subject of 100 KB made one
 * ranking row larger than GitHub's 65,536-character comment limit, and a 5 MB package name filled the terminal
 * with megabytes; the JSON and HTML reports keep the whole value.
 */
export const MAX_VALUE_CHARS = 1_000;

/** `text` cut to MAX_VALUE_CHARS with an ellipsis, never inside a surrogate pair. */
export function capValue(text: string): string {
  if (text.length <= MAX_VALUE_CHARS) return text;
  const cut = text.slice(0, MAX_VALUE_CHARS - 1);
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/** Every string inside plain data (keys too) passed through `map`; objects and arrays are copied, the input is untouched. */
export function mapStrings<T>(value: T, map: (text: string) => string): T {
  if (typeof value === 'string') return map(value) as T;
  if (Array.isArray(value)) return value.map(v => mapStrings(v as unknown, map)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [map(k), mapStrings(v, map)])) as T;
  }
  return value;
}

/** Every string inside plain data cleaned with `cleanText`; objects and arrays are copied, the input is untouched. */
export function cleanDeep<T>(value: T): T {
  return mapStrings(value, cleanText);
}

/**
 * JSON keeps the exact data (a consumer may need the real path), but JSON.stringify writes DEL, C1 and bidi
 * characters raw, and `cat report.json` would run them. As `\u009b` escapes they are the same JSON value.
 */
export function escapeUnsafeInJson(json: string): string {
  return json.replace(UNSAFE, ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// A CSI that only sets colours (SGR) or erases the line (EL): the only escapes reldiff writes itself.
// eslint-disable-next-line no-control-regex
const OWN_ESCAPE = /^\x1b\[[0-9;]*[mK]/;

/**
 * The last-line guard main() puts on stdout and stderr: reldiff's own colour and progress escapes (SGR, erase line,
 * a leading CR) pass; any other unsafe character that a reporter let through is made visible.
 */
export function guardOutput(text: string): string {
  if (!UNSAFE_ONE.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\x1b') {
      const own = OWN_ESCAPE.exec(text.slice(i, i + 32));
      if (own) { out += own[0]; i += own[0].length - 1; continue; }
    }
    out += ch === '\r' || !UNSAFE_ONE.test(ch) ? ch : visibleEscape(ch);
  }
  return out;
}
