/**
 * Characters that make a terminal do something instead of showing something: C0 controls
 * (ESC starts colour, cursor, screen-clearing, title and OSC 8 hyperlink sequences; CR
 * rewrites the line; BEL rings), DEL, C1 controls (0x9B is a one-byte CSI on some
 * terminals), the bidirectional overrides and isolates that reorder what is shown, and
 * the Unicode line and paragraph separators. Tab is harmless and kept.
 */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
const CONTROL_IN_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** ESC → ␛, CR → ␍, BEL → ␇, LF → ␊ …: the Unicode picture of a C0 control, DEL → ␡, anything else → �. */
function picture(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return '\ufffd';
}

/**
 * Text from a YAML file or from data, safe to print on a terminal: every control character
 * is shown as one visible character in its place (so columns under a code frame still line
 * up) and none is sent raw. With `lines`, line breaks are kept (a CRLF becomes LF);
 * otherwise the text stays on one line and LF shows as ␊.
 */
export function terminalText(text: string, options: { lines?: boolean } = {}): string {
  if (options.lines) return text.replace(/\r\n/g, '\n').replace(CONTROL_IN_LINES, picture);
  return text.replace(CONTROL, picture);
}

/** Characters JSON.stringify leaves raw that a terminal acts on (it escapes C0 itself). */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * A value as indented JSON that is safe on a terminal and reads back as the same value:
 * what JSON.stringify leaves raw is written as a `\uXXXX` escape instead.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
