import { terminalText } from './terminal.js';

/** Unicode WORD JOINER: invisible, and it keeps GitHub from seeing a mention, a reference or a link. */
const JOIN = '\u2060';

/**
 * Punctuation Markdown acts on anywhere in a line (emphasis, code, links, HTML, tables,
 * strikethrough, entities, math). Dots, dashes and brackets are left as written: they act
 * only at the start of a line (below) or after a `]`, which is escaped, so names and
 * addresses stay readable in the raw file.
 */
const SPECIAL = /[\\`*_[\]|<>~&$]/g;

/**
 * What makes a line a heading, a list item or a setext underline when it starts one: a
 * marker followed by a space or the end (so `-5%` and `9.0%` stay as written).
 */
const LINE_START = /^(\s*)(?:([#+\-=])(?=[#+\-=]*(?:\s|$))|(\d+)([.)])(?=\s|$))/;

/** One line: control characters shown as pictures, line breaks as spaces (a line break ends a table row). */
const oneLine = (value: unknown) => terminalText(String(value ?? '').replace(/\r\n|[\r\n\u2028\u2029\u0085]/g, ' '));

/**
 * Keeps GitHub from turning text into a notification or a link: `@org/team` and `a@b.example`
 * (mentions, e-mail links), `#123` and `org/repo#123` (issue references), `https://…` and
 * `www.…` (autolinks). A word joiner goes after the character that starts each of them.
 */
const unlinked = (text: string) =>
  text
    .replace(/[@#]/g, (c) => `${c}${JOIN}`)
    .replace(/:(?=\/\/)/g, `:${JOIN}`)
    .replace(/\b(www)(?=\\?\.)/gi, `$1${JOIN}`);

/**
 * A name or value from YAML or data as Markdown text, in a paragraph or a table cell: shown
 * exactly as written, and never a link, a mention, an issue reference, emphasis, HTML, a
 * table break or a terminal control.
 */
export function markdownText(value: unknown): string {
  return unlinked(oneLine(value).replace(SPECIAL, (c) => `\\${c}`).replace(LINE_START, (_m, space: string, mark?: string, digits?: string, dot?: string) => (mark ? `${space}\\${mark}` : `${space}${digits}\\${dot}`)));
}

/**
 * A name or value as a Markdown code span (shown literally: GitHub links nothing inside
 * one). The fence is longer than any run of backticks in the text; `|` is escaped because
 * a table row is split on it before code spans are read.
 */
export function markdownCode(value: unknown): string {
  const text = oneLine(value).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A name or value as text inside an HTML element of a Markdown document (a `<summary>`). */
export function htmlText(value: unknown): string {
  return unlinked(oneLine(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));
}
