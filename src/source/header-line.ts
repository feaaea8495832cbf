import { closeSync, openSync, readSync } from 'node:fs';

/**
 * The first line of a text table file (a CSV header), without a byte-order mark: read from
 * its first 64 KiB, so a header is found without reading a large file.
 */
export function headerLine(path: string): string {
  const buffer = Buffer.alloc(65536);
  const fd = openSync(path, 'r');
  let length: number;
  try {
    length = readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  return buffer.subarray(0, length).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!;
}
