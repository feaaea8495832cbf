import { describe, expect, it } from 'vitest';
import { suggest } from '../../src/text/suggest.js';

describe('did-you-mean suggestions', () => {
  it.each([
    ['emial', ['email', 'webinar'], 'email'],
    ['directoin', ['direction', 'description'], 'direction'],
    ['percnet', ['percent', 'ratio'], 'percent'],
    ['Email', ['email'], 'email'],
    ['zzz', ['email', 'webinar'], undefined],
    ['email', ['email'], undefined],
    // One letter changed in a three-letter name spells another name, not a typo.
    ['cei', ['ces', 'csat', 'nps'], undefined],
    ['cap', ['tag', 'map'], undefined],
    ['nrx', ['trx', 'rx'], undefined],
    // Slips that keep the letters are typos even in short names: a swap, a doubled letter.
    ['cse', ['ces', 'nps'], 'ces'],
    ['rxx', ['rx', 'hcps'], 'rx'],
    // Up to five letters allow one edit, six to eight two: `reahc` (a swap) yes, `rich` for `reach` (two changes) no.
    ['reahc', ['reach', 'nps'], 'reach'],
    ['rich', ['reach'], undefined],
    ['frequncy', ['frequency'], 'frequency'],
    // The longer of the two decides: two dropped letters of a seven-letter word are a typo.
    ['lagin', ['leading', 'lagging'], 'lagging'],
  ])('%s among %j suggests %s', (name, candidates, expected) => {
    expect(suggest(name, candidates)).toBe(expected);
  });
});
