import { distance } from 'fastest-levenshtein';

/** The closest candidate to a misspelt name, when it is close enough to be a likely typo. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  // Two edits cover a swapped pair of letters ("emial"), the most common typo.
  const limit = name.length <= 3 ? 1 : name.length <= 8 ? 2 : 3;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= limit ? best : undefined;
}
