import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Encoding } from '../spec/encoding.js';
import { chunkDecoder, type InvalidText } from './text-decoder.js';

const isInvalid = (r: string | InvalidText): r is InvalidText => typeof r !== 'string';

/**
 * Writes the text of `path`, read in `encoding`, to `target` as UTF-8, a megabyte at a time
 * (a file of any size is converted without being held in memory). Stops at the first bytes
 * that are not valid in the encoding and returns where they are: no half-decoded text is
 * ever read as the table.
 */
export async function utf8Copy(path: string, encoding: Encoding, target: string): Promise<InvalidText | undefined> {
  const decoder = chunkDecoder(encoding);
  const out = await open(target, 'w');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      const text = decoder.push(chunk as Buffer);
      if (isInvalid(text)) return text;
      await out.write(text);
    }
    const rest = decoder.end();
    if (isInvalid(rest)) return rest;
    await out.write(rest);
    return undefined;
  } finally {
    await out.close();
  }
}

/** The first bytes of `path` that are not valid in `encoding`, if any; nothing is written. */
export async function firstInvalid(path: string, encoding: Encoding): Promise<InvalidText | undefined> {
  const decoder = chunkDecoder(encoding);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const text = decoder.push(chunk as Buffer);
    if (isInvalid(text)) return text;
  }
  const rest = decoder.end();
  return isInvalid(rest) ? rest : undefined;
}
