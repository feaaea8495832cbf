import type { Static } from '@sinclair/typebox';
import { Literals } from './common.js';
import { ENCODINGS } from './encoding-names.js';

export { ENCODINGS, OTHER_NAMES } from './encoding-names.js';

export const Encoding = Literals(ENCODINGS, {
  description: 'The text encoding of the file (CSV or JSON): `utf-8` (default), `latin-1` (ISO-8859-1), `windows-1252` (Latin-1 plus “ ” € … in 0x80–0x9F, what Excel on Windows writes) or `utf-16` (a byte-order mark at the start says which byte order). Text is converted to UTF-8 while loading; bytes that are not valid in this encoding fail the load. Parquet text is always UTF-8.',
  default: 'utf-8',
  examples: ['latin-1'],
});
export type Encoding = Static<typeof Encoding>;
