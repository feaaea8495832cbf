/** Names and values a fork or a data file could carry, each meant to act instead of being shown. */
export const HOSTILE = {
  /** An OSC 8 hyperlink: the terminal shows "click" and opens http://evil on a click. */
  hyperlink: '\x1b]8;;http://evil\x07click\x1b]8;;\x07',
  /** Clears the screen, then sets the colour with a one-byte C1 CSI. */
  clear: '\x1b[2J\x9b31m',
  /** A carriage return: what follows overwrites the start of the line. */
  carriageReturn: 'all good\r✖ forged',
  /** A new table row in Markdown. */
  tableBreak: 'name\n| x | y |',
  /** Shown right to left from the override on: "gpj.exe" reads as "exe.jpg". */
  bidi: 'report\u202Egpj.exe',
  mention: '@org/team',
  url: 'https://evil.example/login',
  issue: 'fixes #123',
  email: 'ceo@evil.example',
  www: 'www.evil.example',
} as const;

/** Bytes that make a terminal act: ESC, BEL, CR, C1, bidirectional controls. */
export const TERMINAL_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
