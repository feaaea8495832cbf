import { describe, expect, it } from 'vitest';
import { htmlText, markdownCode, markdownText } from '../../src/text/markdown.js';
import { HOSTILE, TERMINAL_CONTROL } from './hostile.js';

/** What GitHub turns into a notification or a link in a comment's text. */
const GITHUB_LINKS = /@[a-z0-9]|#\d|https?:\/\/|www\.|[a-z0-9]@[a-z0-9]/i;

/** A table row's cells, split where GitHub splits them (at each `|` not escaped). */
const cells = (row: string) => row.split(/(?<!\\)\|/).length - 2;

describe('Markdown text from YAML or data', () => {
  it.each(Object.entries(HOSTILE))('%s stays one table cell on one line, with no link, mention or terminal control', (_name, value) => {
    for (const shown of [markdownText(value), markdownCode(value)]) expect(cells(`| ${shown} | after |`)).toBe(2);
    for (const shown of [markdownText(value), markdownCode(value), htmlText(value)]) {
      expect(shown).not.toMatch(/[\r\n]/);
      expect(shown).not.toMatch(TERMINAL_CONTROL);
    }
    expect(markdownText(value)).not.toMatch(GITHUB_LINKS);
    expect(htmlText(value)).not.toMatch(GITHUB_LINKS);
  });

  it('escapes what Markdown would act on, so the text reads as written', () => {
    expect(markdownText('*Reach* [x](y) <b>1.</b> a_b ~c~ &#64;org $x$')).toBe(String.raw`\*Reach\* \[x\](y) \<b\>1.\</b\> a\_b \~c\~ \&#` + '\u2060' + String.raw`64;org \$x\$`);
  });

  it('escapes what would start a heading, a list, a quote or an underline only where a line starts, so names and addresses read as written', () => {
    expect(['# h', '- item', '+ item', '=== ', '12. x', '3) x', '  > q'].map(markdownText)).toEqual(['\\#\u2060 h', '\\- item', '\\+ item', '\\=== ', '12\\. x', '3\\) x', '  \\> q']);
    for (const plain of ['kpis/reach/reach.yaml (v1.2) - DE-T01', '9.0%', '-5%', '+0.2 pp', '2026-10']) expect(markdownText(plain)).toBe(plain);
  });

  it('puts a word joiner after what starts a mention, a reference or a link, and nowhere else', () => {
    expect(markdownText('@org/team')).toBe('@\u2060org/team');
    expect(markdownText('https://evil.example')).toBe('https:\u2060//evil.example');
    expect(markdownText('www.evil.example')).toBe('www\u2060.evil.example');
    expect(markdownText('Clara Weiss')).toBe('Clara Weiss');
  });

  it('fences a code span past the backticks inside it', () => {
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
    expect(markdownCode('a | b')).toBe('`a \\| b`');
  });
});
