import { describe, expect, it } from 'vitest';
import { chunkDecoder, type InvalidText } from '../../src/source/text-decoder.js';
import type { Encoding } from '../../src/spec/encoding.js';

/** Decodes the bytes split into the given chunks; the text, or where it stopped. */
function decode(encoding: Encoding, chunks: Buffer[]): string | Pick<InvalidText, 'line' | 'bytes'> {
  const decoder = chunkDecoder(encoding);
  let text = '';
  for (const result of [...chunks.map((c) => decoder.push(c)), decoder.end()]) {
    if (typeof result !== 'string') return { line: result.line, bytes: result.bytes };
    text += result;
  }
  return text;
}

/** Every way of cutting `bytes` in two. */
const cuts = (bytes: Buffer) => Array.from({ length: bytes.length + 1 }, (_, i) => [bytes.subarray(0, i), bytes.subarray(i)]);

describe('decoding a table file chunk by chunk', () => {
  it('decodes UTF-8 the same wherever a chunk ends, even inside a character', () => {
    const bytes = Buffer.from('a,b\nMüller,€𝄞\n');
    for (const chunks of cuts(bytes)) expect(decode('utf-8', chunks)).toBe('a,b\nMüller,€𝄞\n');
  });

  it('finds the first invalid UTF-8 bytes on their line, counting the lines of earlier chunks', () => {
    // Line 3 holds "M\xFCller": 0xFC starts no UTF-8 sequence.
    const bytes = Buffer.concat([Buffer.from('a\nb\nM'), Buffer.of(0xfc), Buffer.from('ller\n')]);
    for (const chunks of cuts(bytes)) expect(decode('utf-8', chunks)).toEqual({ line: 3, bytes: [0xfc] });
    // A sequence cut short by the end of the file: 0xE2 0x82 starts € (0xE2 0x82 0xAC).
    expect(decode('utf-8', [Buffer.from('x\n'), Buffer.of(0xe2, 0x82)])).toEqual({ line: 2, bytes: [0xe2, 0x82] });
  });

  it('decodes UTF-16 in both byte orders wherever a chunk ends, even inside a surrogate pair', () => {
    const text = 'id\nÅsa,𝄞\n';
    const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
    for (const bytes of [le, Buffer.from(le).swap16()]) for (const chunks of cuts(bytes)) expect(decode('utf-16', chunks)).toBe(text);
  });

  it('refuses a lone UTF-16 surrogate and an odd last byte', () => {
    const lone = Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from('a\n', 'utf16le'), Buffer.of(0x00, 0xd8), Buffer.from('b', 'utf16le')]);
    expect(decode('utf-16', [lone])).toEqual({ line: 2, bytes: [0x00, 0xd8, 0x62, 0x00] });
    expect(decode('utf-16', [Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from('a', 'utf16le'), Buffer.of(0x62)])])).toEqual({ line: 1, bytes: [0x62] });
    // A high surrogate (0xD83D) ending one chunk and followed by "b", not by a low surrogate; and one ending the file.
    const dangling = Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from('a\n', 'utf16le'), Buffer.of(0x3d, 0xd8)]);
    expect(decode('utf-16', [dangling, Buffer.from('b', 'utf16le')])).toEqual({ line: 2, bytes: [0x62, 0x00] });
    expect(decode('utf-16', [dangling])).toEqual({ line: 2, bytes: [0x3d, 0xd8] });
  });

  it('decodes the 27 characters Windows-1252 puts in 0x80–0x9F and refuses its five undefined bytes', () => {
    const defined = Array.from({ length: 32 }, (_, i) => 0x80 + i).filter((b) => ![0x81, 0x8d, 0x8f, 0x90, 0x9d].includes(b));
    // Python: bytes(defined).decode('cp1252')
    expect(decode('windows-1252', [Buffer.from(defined)])).toBe('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
    expect(decode('windows-1252', [Buffer.from('ok\n'), Buffer.of(0x41, 0x81)])).toEqual({ line: 2, bytes: [0x81] });
  });

  it('reads Latin-1 bytes as their code points and refuses the control characters 0x80–0x9F', () => {
    expect(decode('latin-1', [Buffer.of(0x4d, 0xfc, 0x6c, 0x0a, 0xd1)])).toBe('Mül\nÑ');
    expect(decode('latin-1', [Buffer.from('a\nb\n'), Buffer.of(0x93, 0x78, 0x94)])).toEqual({ line: 3, bytes: [0x93] });
  });
});
