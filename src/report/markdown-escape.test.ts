import { describe, expect, it } from 'vitest';
import { MAX_VALUE_CHARS, mdCode, mdText } from './markdown-escape.js';

describe('Markdown escaping', () => {
  it('leaves no tag, link, image, mention, issue reference or autolink in text', () => {
    const out = mdText('<img src=x onerror=alert(1)> [a](http://x) ![i](y) @user #12 https://evil.example www.evil.example *b* `c` | d');
    expect(out).not.toMatch(/<img|\]\(|@user|https:\/\/|www\.evil/);
    expect(out).toContain('&lt;img');
    expect(out).toContain('\\|');
  });

  it('fences code spans around backticks and escapes table pipes', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('a|b')).toBe('`a\\|b`');
    expect(mdCode('line\nbreak')).toBe('`line break`');
  });
});

describe('one huge value', () => {
  it('is cut to MAX_VALUE_CHARS with an ellipsis in text and in code spans, never inside a surrogate pair', () => {
    expect(mdText('s'.repeat(100_000))).toBe(`${'s'.repeat(MAX_VALUE_CHARS - 1)}…`);
    expect(mdCode('p'.repeat(5_000))).toBe(`\`${'p'.repeat(MAX_VALUE_CHARS - 1)}…\``);
    const emoji = `${'a'.repeat(MAX_VALUE_CHARS - 2)}😀😀`;
    expect(mdText(emoji)).toBe(`${'a'.repeat(MAX_VALUE_CHARS - 2)}…`);
    expect(mdText('short')).toBe('short');
  });
});

describe('Markdown escaping keeps plain text plain', () => {
  it('breaks a mention but not an at-sign inside a word', () => {
    expect(mdText('prettier@3.1.1')).toBe('prettier\\@3.1.1');
    expect(mdText('cc @octocat')).toBe('cc \\@\u200boctocat');
    expect(mdText('mail dana@example.com')).toBe('mail dana\\@\u200bexample.com');
    expect(mdText('fix#12 and #13')).toBe('fix\\#12 and #13');
    expect(mdText('Merge pull request #2394 from x/y')).toBe('Merge pull request #2394 from x/y');
    expect(mdText('#2394 first', true)).toBe('#2394 first');
    expect(mdText('# heading', true)).toBe('\\# heading');
    expect(mdText('#main-header')).toBe('\\#main-header');
  });

  it('keeps ordinary punctuation readable and stops block syntax at the start', () => {
    expect(mdText('patch upgrade 4.18.2 -> 4.18.3: fine, really')).toBe('patch upgrade 4.18.2 -&gt; 4.18.3: fine, really');
    expect(mdText('1. not a list', true)).toBe('1\\. not a list');
    expect(mdText('- not a bullet', true)).toBe('\\- not a bullet');
    expect(mdText('4.18.2 -> 4.18.3')).toBe('4.18.2 -&gt; 4.18.3');
    expect(mdText('see https://x.example and www.y.example')).toBe('see https:\u200b//x.example and www\u200b.y.example');
  });
});
