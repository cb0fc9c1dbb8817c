// Every value from a repository passes through these before it reaches the page. Control characters and bidi
// overrides become visible escapes too (the shared cleaner), so a file name cannot read backwards on the page.
import { cleanDeep, cleanText } from '../util/control-chars.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and for double- or single-quoted attribute values. */
export function esc(value: string | number): string {
  return cleanText(String(value)).replace(/[&<>"']/g, ch => HTML_ESCAPES[ch] ?? ch);
}

/**
 * JSON for a `<script type="application/json">` block. `<` is escaped so that no value can close the
 * block (`</script>`) or open a comment; `>`, `&` and the JS line separators for good measure.
 */
export function jsonForScript(value: unknown): string {
  // The page's script writes these values with textContent: they are cleaned here, not only escaped as JSON.
  return JSON.stringify(cleanDeep(value))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Fixed-precision numbers, so the same report always renders the same bytes. */
export function num(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '0';
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
