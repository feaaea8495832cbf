import type { Encoding } from '../../spec/encoding.js';

/** Where a file's bytes stop being text in the encoding it is read in (nothing of it was read as the table). */
export interface InvalidBytes {
  encoding: Encoding;
  /** The line the bytes are on (1 = the first). */
  line: number;
  bytes: number[];
  /** What the whole file starts with (a byte-order mark tells UTF-16's byte order). */
  start: number[];
  /** The encoding the bytes read well in, and how they read (`Müller`), when one does. */
  likely?: { encoding: Encoding; reads: string };
}

/**
 * A snapshot's files as loading and sealing read them, handed in by the command (the reading
 * and decoding live in `source/`). DuckDB then reads each table file at the path `locate`
 * gives; text in another encoding than UTF-8 is read from the UTF-8 copy `utf8Copy` writes.
 */
export interface SnapshotFiles {
  /** The snapshot directory as messages name it. */
  shownAs: string;
  /** The snapshot's files, as paths relative to it with `/`. */
  entries(): string[];
  /** Where a file named in the snapshot really is, or why it is not read (a link out of the snapshot or round a loop). */
  locate(file: string): { path: string } | { refused: { code: 'file/link-outside' | 'file/link-loop'; params: object } };
  /** A text file's first line (a CSV header), decoded. */
  headerLine(path: string, encoding?: Encoding): string;
  /** Writes the text of `path` to `target` as UTF-8, or says where its bytes stop being text in `encoding`. */
  utf8Copy(path: string, encoding: Encoding, target: string): Promise<InvalidBytes | undefined>;
  /** The first bytes of `path` that are not text in `encoding`, if any. */
  firstInvalid(path: string, encoding: Encoding): Promise<InvalidBytes | undefined>;
}
