import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import type { Encoding } from '../spec/encoding.js';
import { decodeWindows1252, undefinedInWindows1252 } from './windows-1252.js';

/** Where a file's bytes stop being text of its encoding: the line (1-based) and the bytes there. */
export interface InvalidText {
  encoding: Encoding;
  line: number;
  bytes: number[];
  /** What the whole file starts with, for telling which encoding it may be in. */
  start: number[];
}

/** Decodes one chunk after another, counting lines; the first invalid bytes end it. */
export interface ChunkDecoder {
  push(chunk: Buffer): string | InvalidText;
  end(): string | InvalidText;
}

const LF = 0x0a;
const countLines = (buf: Buffer, end: number) => {
  let n = 0;
  for (let i = buf.indexOf(LF); i !== -1 && i < end; i = buf.indexOf(LF, i + 1)) n++;
  return n;
};

/**
 * Latin-1 bytes 0x80–0x9F are control characters no exported text holds: a file that has
 * them is Windows-1252 (“ ” € …), and reading them as Latin-1 would load invisible garbage.
 * Windows-1252 leaves five bytes undefined.
 */
const C1 = Array.from({ length: 32 }, (_, i) => 0x80 + i);
const SINGLE_BYTE: Record<'latin-1' | 'windows-1252', { invalid: readonly number[]; decode: (b: Buffer) => string }> = {
  'latin-1': { invalid: C1, decode: (b) => b.toString('latin1') },
  'windows-1252': { invalid: C1.filter(undefinedInWindows1252), decode: decodeWindows1252 },
};

/** The first position of any of these bytes (a native search for each, not a callback per byte). */
function firstOf(chunk: Buffer, bytes: readonly number[]): number {
  let first = -1;
  for (const b of bytes) {
    const at = chunk.indexOf(b);
    if (at !== -1 && (first === -1 || at < first)) first = at;
  }
  return first;
}

function singleByte(encoding: 'latin-1' | 'windows-1252'): ChunkDecoder {
  const { invalid, decode } = SINGLE_BYTE[encoding];
  let lines = 0;
  let start: number[] | undefined;
  return {
    push(chunk) {
      start ??= [...chunk.subarray(0, 4)];
      const at = firstOf(chunk, invalid);
      if (at !== -1) return { encoding, line: lines + countLines(chunk, at) + 1, bytes: [chunk[at]!], start };
      lines += countLines(chunk, chunk.length);
      return decode(chunk);
    },
    end: () => '',
  };
}

/** The length a UTF-8 sequence starting with this byte has, 0 for a byte no sequence starts with. */
const utf8Length = (b: number) => (b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0);

/** The first byte of `buf` no valid UTF-8 sequence covers, and the bytes of the sequence it starts. */
function firstInvalidUtf8(buf: Buffer): { at: number; bytes: number[] } | undefined {
  for (let i = 0; i < buf.length;) {
    const length = utf8Length(buf[i]!);
    if (length === 0 || !isUtf8(buf.subarray(i, i + length))) {
      let end = i + 1;
      while (end < buf.length && end < i + 4 && (buf[end]! & 0xc0) === 0x80) end++;
      return { at: i, bytes: [...buf.subarray(i, end)] };
    }
    i += length;
  }
  return undefined;
}

/** How many bytes at the end of `buf` begin a sequence the next chunk completes. */
function openTail(buf: Buffer): number {
  for (let k = 1; k <= Math.min(3, buf.length); k++) {
    const b = buf[buf.length - k]!;
    if ((b & 0xc0) === 0x80) continue;
    return utf8Length(b) > k ? k : 0;
  }
  return 0;
}

function utf8(): ChunkDecoder {
  let lines = 0;
  let carry = Buffer.alloc(0);
  let start: number[] | undefined;
  const check = (body: Buffer): string | InvalidText => {
    start ??= [...body.subarray(0, 4)];
    if (!isUtf8(body)) {
      const found = firstInvalidUtf8(body)!;
      return { encoding: 'utf-8', line: lines + countLines(body, found.at) + 1, bytes: found.bytes, start };
    }
    lines += countLines(body, body.length);
    return body.toString('utf8');
  };
  return {
    push(chunk) {
      const all = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const tail = openTail(all);
      carry = Buffer.from(all.subarray(all.length - tail));
      return check(all.subarray(0, all.length - tail));
    },
    end: () => (carry.length > 0 ? check(carry) : ''),
  };
}

/** Where the first lone surrogate of `body` is (its line and bytes), given whether the text before ended in a high surrogate. */
function loneSurrogate(body: Buffer, order: 'le' | 'be', highBefore: boolean, lines: number): { line: number; bytes: number[] } {
  let high = highBefore;
  let line = lines + 1;
  for (let i = 0; i + 1 < body.length; i += 2) {
    const unit = order === 'le' ? body.readUInt16LE(i) : body.readUInt16BE(i);
    const isLow = unit >= 0xdc00 && unit <= 0xdfff;
    if (high !== isLow) return { line, bytes: [...body.subarray(high && i >= 2 ? i - 2 : i, i + 2)] };
    high = unit >= 0xd800 && unit <= 0xdbff;
    if (unit === LF) line++;
  }
  return { line, bytes: [...body.subarray(Math.max(0, body.length - 2))] };
}

/**
 * UTF-16 in the byte order its byte-order mark says. Node's strict decoder does the work
 * (and pairs surrogates split between chunks); only when it refuses the text is it walked
 * unit by unit to say where: a lone surrogate, or an odd last byte.
 */
function utf16(): ChunkDecoder {
  let lines = 0;
  let carry = Buffer.alloc(0);
  let order: 'le' | 'be' | undefined;
  let start: number[] = [];
  let highBefore = false;
  let last: number[] = [];
  let decoder: TextDecoder | undefined;
  const invalid = (bytes: number[], line = lines + 1): InvalidText => ({ encoding: 'utf-16', line, bytes, start });
  return {
    push(chunk) {
      let all = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      if (!order) {
        if (all.length < 2) { carry = Buffer.from(all); return ''; }
        start = [...all.subarray(0, 4)];
        order = all[0] === 0xff && all[1] === 0xfe ? 'le' : all[0] === 0xfe && all[1] === 0xff ? 'be' : undefined;
        if (!order) return invalid([all[0]!, all[1]!]);
        decoder = new TextDecoder(`utf-16${order}`, { fatal: true });
        all = all.subarray(2);
      }
      const even = all.length - (all.length % 2);
      carry = Buffer.from(all.subarray(even));
      const body = all.subarray(0, even);
      let text: string;
      try {
        text = decoder!.decode(body, { stream: true });
      } catch {
        const found = loneSurrogate(body, order, highBefore, lines);
        return invalid(found.bytes, found.line);
      }
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
      if (body.length >= 2) {
        last = [...body.subarray(body.length - 2)];
        const unit = order === 'le' ? body.readUInt16LE(body.length - 2) : body.readUInt16BE(body.length - 2);
        highBefore = unit >= 0xd800 && unit <= 0xdbff;
      }
      return text;
    },
    end() {
      if (!order || carry.length > 0) return invalid([...carry]);
      try {
        return decoder!.decode();
      } catch {
        return invalid(last);
      }
    },
  };
}

/** A decoder for a file written in `encoding`. */
export function chunkDecoder(encoding: Encoding): ChunkDecoder {
  if (encoding === 'utf-8') return utf8();
  if (encoding === 'utf-16') return utf16();
  return singleByte(encoding);
}

/** The bytes as people read them in an error message: `0xFC 0x6C`. */
export { shownBytes } from '../text/bytes.js';

/**
 * Which declared encoding would read a file whose UTF-8 is invalid, judged from the bytes
 * that were not: a byte-order mark says UTF-16; a byte of 0x80–0x9F that Windows-1252
 * defines (“ ” € – …) says Windows-1252; a byte of 0xA0–0xFF (é ü ñ ß) says Latin-1.
 */
export function likelyEncoding(invalid: InvalidText): { encoding: Encoding; reads: string } | undefined {
  const [a, b] = invalid.start;
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return { encoding: 'utf-16', reads: 'a UTF-16 byte-order mark' };
  if (invalid.encoding === 'utf-16') return undefined;
  const first = invalid.bytes[0]!;
  const asWindows = decodeWindows1252(Buffer.of(first));
  if (!/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(asWindows)) return undefined;
  if (first >= 0xa0) return invalid.encoding === 'utf-8' ? { encoding: 'latin-1', reads: `"${asWindows}" in Latin-1` } : undefined;
  if (first >= 0x80 && invalid.encoding !== 'windows-1252') return { encoding: 'windows-1252', reads: `"${asWindows}" in Windows-1252` };
  return undefined;
}
