import type { Encoding } from '../spec/encoding.js';
import { headerLine } from './header-line.js';
import { snapshotEntries } from './snapshot-files.js';
import { tablePath, type SnapshotDir } from './snapshot.js';
import { likelyEncoding, type InvalidText } from './text-decoder.js';
import { firstInvalid, utf8Copy } from './utf8-copy.js';

/** Invalid bytes with the encoding they look like, for the message that reports them. */
const withLikely = (invalid: InvalidText | undefined) => {
  if (!invalid) return undefined;
  const likely = likelyEncoding(invalid);
  return { ...invalid, ...(likely ? { likely } : {}) };
};

/**
 * A snapshot directory's files as the engine's loader and sealer read them (the engine's
 * `SnapshotFiles`): its entries, each file's real path inside it, header lines, and text in
 * another encoding copied to UTF-8.
 */
export function snapshotReader(snapshot: SnapshotDir) {
  return {
    shownAs: snapshot.shownAs,
    entries: () => snapshotEntries(snapshot.dir),
    locate: (file: string) => tablePath(snapshot, file),
    headerLine: (path: string, encoding?: Encoding) => headerLine(path, encoding),
    utf8Copy: async (path: string, encoding: Encoding, target: string) => withLikely(await utf8Copy(path, encoding, target)),
    firstInvalid: async (path: string, encoding: Encoding) => withLikely(await firstInvalid(path, encoding)),
  };
}
