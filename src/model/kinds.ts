import type { MeasureKind, MeasureSpec } from '../spec/measure.js';

/**
 * What a measure kind's values are: `fraction` (a share, unit percent), `score` (on a
 * survey's or an index's own scale, unit score), `count` (a count or amount, unit count or
 * currency), or `free` (whatever its parts make it: a ratio of two counts, a formula).
 */
export type ValueClass = 'fraction' | 'score' | 'count' | 'free';

/** A source column role (`kpiops.yaml` sources: `time`, `channel`, `event`). */
export type SourceRole = 'time' | 'channel' | 'event';

/** The range a KPI's values can take, with the words a target outside it is told. */
export interface Bounds {
  min: number;
  max: number;
  text: string;
}

/** The facts about one measure kind that rules, the definition hash and the compiler share. */
export interface KindFacts {
  valueClass: ValueClass;
  /** The units a KPI of this kind may have; every unit when the value class is `free`. */
  units: ReadonlyArray<'percent' | 'ratio' | 'count' | 'score' | 'currency'>;
  /** The roles the measure's `source` must declare to place rows in periods, channels and events. */
  roles: readonly SourceRole[];
  /** Whether the numbers depend on the channel definitions (engagement events, weights, caps, modality, stage maps). */
  readsChannels: boolean;
  /** Whether the denominator is the population: a count of the HCP table's rows, filtered or not. */
  populationDenominator: boolean;
  /**
   * Whether the value is a figure per HCP over all of the HCP's rows (reached or not, an
   * index, a stage, over the cap or not, back or not): split by a column of those rows (a
   * brand), one HCP can count in several parts, so the total is no sum or average of them.
   */
  perEntity: boolean;
  /** The values a measure of this kind can take, when the kind (rather than the unit) decides them. */
  bounds?: (measure: MeasureSpec) => Bounds | undefined;
}

const FRACTION = { valueClass: 'fraction', units: ['percent'] } as const;
const SCORE = { valueClass: 'score', units: ['score'] } as const;
const COUNT = { valueClass: 'count', units: ['count', 'currency'] } as const;
const FREE = { valueClass: 'free', units: ['percent', 'ratio', 'count', 'score', 'currency'] } as const;
const EVENTS: readonly SourceRole[] = ['time', 'channel', 'event'];
const TIME: readonly SourceRole[] = ['time'];
const NONE: readonly SourceRole[] = [];

/** Defaults of optional settings, applied once in `normalize.ts`. */
export const KIND_DEFAULTS = {
  index: { trailingMonths: 6, weights: { breadth: 1 / 3, depth: 1 / 3, consistency: 1 / 3 } },
  stage: { trailingMonths: 6 },
  funnel: { window: 'P30D' },
  reengagement: { lookback: 'P90D' },
  growth: { compare: 'last_year' },
} as const;

/** One row per measure kind: adding a kind adds a row here (and the schema, compiler and evaluator files). */
export const KINDS: Record<MeasureKind, KindFacts> = {
  reach: { ...FRACTION, roles: EVENTS, readsChannels: true, perEntity: true, populationDenominator: true },
  ratio: { ...FREE, roles: NONE, readsChannels: false, perEntity: false, populationDenominator: false },
  funnel: { ...FRACTION, roles: TIME, readsChannels: false, perEntity: false, populationDenominator: false },
  score: {
    ...SCORE, roles: TIME, readsChannels: false, perEntity: false, populationDenominator: false,
    bounds: (m) => (m.kind !== 'score' ? undefined
      : m.method === 'nps' ? { min: -100, max: 100, text: 'between -100 and 100 (an NPS)' }
        : m.method === 'top_box' ? { min: 0, max: 100, text: 'between 0 and 100 (a top-box share ×100)' } : undefined),
  },
  index: { ...SCORE, roles: EVENTS, readsChannels: true, perEntity: true, populationDenominator: true, bounds: () => ({ min: 0, max: 100, text: 'between 0 and 100 (an index)' }) },
  attainment: { ...FRACTION, roles: EVENTS, readsChannels: true, perEntity: false, populationDenominator: false },
  reengagement: { ...FRACTION, roles: EVENTS, readsChannels: true, perEntity: true, populationDenominator: false },
  cap: { ...FRACTION, roles: EVENTS, readsChannels: true, perEntity: true, populationDenominator: false },
  share: { ...FRACTION, roles: EVENTS, readsChannels: true, perEntity: false, populationDenominator: false },
  growth: { ...FRACTION, roles: NONE, readsChannels: false, perEntity: false, populationDenominator: false, bounds: () => ({ min: -1, max: Infinity, text: 'a change of -1 (−100%) or more' }) },
  benchmark: { ...SCORE, roles: NONE, readsChannels: false, perEntity: false, populationDenominator: false },
  stage: { ...FRACTION, roles: EVENTS, readsChannels: true, perEntity: true, populationDenominator: true },
  derived: { ...FREE, roles: NONE, readsChannels: false, perEntity: false, populationDenominator: false },
  average: { ...COUNT, roles: TIME, readsChannels: false, perEntity: false, populationDenominator: true },
};

/** The facts of a kind (every kind the schema accepts has a row). */
export const kindFacts = (kind: MeasureKind): KindFacts => KINDS[kind];
