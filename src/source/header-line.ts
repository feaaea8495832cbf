import { closeSync, openSync, readSync } from 'node:fs';
import type { Encoding } from '../spec/encoding.js';
import { decodeWindows1252 } from './windows-1252.js';

/** The first 64 KiB as text of the encoding (UTF-16 in the byte order its byte-order mark says). */
function decodeStart(bytes: Buffer, encoding: Encoding): string {
  if (encoding === 'latin-1') return bytes.toString('latin1');
  if (encoding === 'windows-1252') return decodeWindows1252(bytes);
  if (encoding === 'utf-16') return new TextDecoder(bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-16le').decode(bytes);
  return bytes.toString('utf8');
}

/**
 * The first line of a text table file (a CSV header), without a byte-order mark: read from
 * its first 64 KiB, so a header is found without reading a large file.
 */
export function headerLine(path: string, encoding: Encoding = 'utf-8'): string {
  const buffer = Buffer.alloc(65536);
  const fd = openSync(path, 'r');
  let length: number;
  try {
    length = readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  return decodeStart(buffer.subarray(0, length), encoding).replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!;
}
