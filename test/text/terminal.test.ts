import { describe, expect, it } from 'vitest';
import { jsonText, terminalText } from '../../src/text/terminal.js';
import { HOSTILE, TERMINAL_CONTROL } from './hostile.js';

describe('text for a terminal', () => {
  it('shows ESC, BEL and CR as visible pictures, one character each, and sends none of them', () => {
    expect(terminalText(HOSTILE.hyperlink)).toBe('␛]8;;http://evil␇click␛]8;;␇');
    expect(terminalText(HOSTILE.carriageReturn)).toBe('all good␍✖ forged');
    expect(terminalText(HOSTILE.clear)).toBe('␛[2J�31m');
    expect(terminalText(HOSTILE.bidi)).toBe('report�gpj.exe');
    expect(terminalText('a\x7fb\x00c')).toBe('a␡b␀c');
  });

  it('keeps text on one line unless told to keep its lines, and then turns CRLF into LF but a lone CR into ␍', () => {
    expect(terminalText(HOSTILE.tableBreak)).toBe('name␊| x | y |');
    expect(terminalText('one\r\ntwo\rthree\n\tfour', { lines: true })).toBe('one\ntwo␍three\n\tfour');
  });

  it('leaves ordinary text, accents, emoji and tabs as they are', () => {
    const text = 'Inés Navarro · 62.0 % ✔ 🟢\tnext';
    expect(terminalText(text)).toBe(text);
  });

  it('writes JSON that reads back as the same value but carries no raw C1 or bidirectional control', () => {
    const value = { name: `${HOSTILE.hyperlink}${HOSTILE.clear}${HOSTILE.bidi}\u2028` };
    const text = jsonText(value);
    expect(text).not.toMatch(TERMINAL_CONTROL);
    expect(text).not.toContain('\u2028');
    expect(JSON.parse(text)).toEqual(value);
  });
});
