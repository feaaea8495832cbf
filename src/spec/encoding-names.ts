// Read at run time by every command: this file does not import TypeBox.

/** The text encodings a table file may be written in; each has one spelling in kpiops.yaml. */
export const ENCODINGS = ['utf-8', 'latin-1', 'windows-1252', 'utf-16'] as const;

/**
 * Other names people write for these encodings. They are not accepted (one spelling per
 * encoding keeps projects greppable and diffs quiet, and `iso-8859-1` means Windows-1252 to
 * a browser but true Latin-1 to most databases): the schema error suggests the spelling.
 */
export const OTHER_NAMES: Readonly<Record<string, (typeof ENCODINGS)[number]>> = {
  utf8: 'utf-8', 'utf-8-sig': 'utf-8', 'utf8-bom': 'utf-8', 'utf8bom': 'utf-8',
  latin1: 'latin-1', 'latin_1': 'latin-1', 'iso-8859-1': 'latin-1', 'iso8859-1': 'latin-1', 'iso_8859-1': 'latin-1', 'iso-latin-1': 'latin-1', l1: 'latin-1',
  cp1252: 'windows-1252', 'cp-1252': 'windows-1252', win1252: 'windows-1252', 'windows1252': 'windows-1252', ansi: 'windows-1252',
  utf16: 'utf-16', 'utf-16le': 'utf-16', 'utf-16be': 'utf-16', ucs2: 'utf-16', 'ucs-2': 'utf-16', unicode: 'utf-16',
};
