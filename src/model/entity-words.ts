import type { ProjectSpec } from '../spec/project.js';

/**
 * How outputs name the entities KPIs count. `entity: true` is the pharma default, HCP /
 * HCPs; `entity: {label: customer}` gives customer / customers (`plural` when adding "s"
 * is wrong). Sentences pick the form they need instead of replacing text, so "an HCP"
 * and "a customer" both read right, and a sentence that starts with the word capitalises
 * it without lower-casing an initialism.
 */
export interface EntityWords {
  /** `HCP`, `customer`. */
  one: string;
  /** `HCPs`, `customers`. */
  many: string;
  /** With its article: `an HCP`, `a customer`. */
  a: string;
  /** At the start of a sentence or a column head: `HCP`, `Customer`. */
  One: string;
  /** `HCPs`, `Customers`. */
  Many: string;
}

const capital = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

// An initialism is read letter by letter: "an HCP", "an MSL", "a KOL". A word takes "an"
// before a vowel letter ("an account", "a customer"); the few exceptions ("a user",
// "an hour") are rare enough in entity names to be written with a `plural` and accepted.
const VOWEL_SOUND_LETTERS = new Set([...'AEFHILMNORSX']);
function article(word: string): string {
  const initialism = /^[A-Z]{2,}$/.test(word);
  const vowel = initialism ? VOWEL_SOUND_LETTERS.has(word[0]!) : /^[aeiou]/i.test(word);
  return `${vowel ? 'an' : 'a'} ${word}`;
}

function words(one: string, many: string): EntityWords {
  return { one, many, a: article(one), One: capital(one), Many: capital(many) };
}

/** `entity: true`: the pharma default. */
export const HCP_WORDS: EntityWords = words('HCP', 'HCPs');

/** The words for the project's entity table (HCP / HCPs when it gives none). */
export function entityWords(project: Pick<ProjectSpec, 'sources'> | undefined): EntityWords {
  const entity = Object.values(project?.sources ?? {}).find((s) => s.entity)?.entity;
  if (!entity || entity === true) return HCP_WORDS;
  return words(entity.label, entity.plural ?? `${entity.label}s`);
}
