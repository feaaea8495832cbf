import { distance } from 'fastest-levenshtein';

/** Whether `a` becomes `b` by swapping one pair of neighbouring letters ("emial" → "email"). */
function swapped(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const differ = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return differ.length === 2 && differ[1] === differ[0]! + 1 && a[differ[0]!] === b[differ[1]!] && a[differ[1]!] === b[differ[0]!];
}

/** Whether `a` and `b` differ by one letter typed twice or once too few ("rxx" → "rx"). */
function doubled(a: string, b: string): boolean {
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  if (long.length !== short.length + 1) return false;
  return [...long].some((c, i) => (long[i - 1] === c || long[i + 1] === c) && long.slice(0, i) + long.slice(i + 1) === short);
}

/**
 * How many edits apart two names are, a swapped pair of letters counting as one; for names
 * under four characters only the slips that keep the same letters count (a swap, a doubled
 * or dropped letter), since changing one letter of a short name spells another name
 * (`cei` and `ces`, `nrx` and `trx`), not a typo.
 */
function typoDistance(name: string, candidate: string): number {
  if (name === candidate) return 0;
  if (swapped(name, candidate)) return 1;
  if (name.length < 4) return doubled(name, candidate) ? 1 : Infinity;
  return distance(name, candidate);
}

/**
 * The closest candidate to a misspelt name, when it is close enough to be a likely typo:
 * one edit for every three letters of the longer of the two, at least one (a swap counts
 * as one), so dropped letters ("lagin" for "lagging") are forgiven as much as added ones.
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const d = typoDistance(name.toLowerCase(), candidate.toLowerCase());
    const limit = Math.max(1, Math.floor(Math.max(name.length, candidate.length) / 3));
    if (d <= limit && d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}
