import type { EntityWords } from '../model/entity-words.js';
import type { KpiModel } from '../model/kpi.js';
import type { TargetValue } from '../spec/target.js';
import type { Anomaly } from './anomaly.js';
import type { BriefView } from './brief.js';
import type { MovedBy } from './moved.js';
import type { DefinitionChange } from './context.js';
import type { Status } from './status.js';
import type { Dims } from './target.js';

/** A KPI's value: a number, a mix of category shares, or none. */
export type Value = number | Record<string, number> | null;

export const isNumber = (v: Value | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
export const isMix = (v: Value | undefined): v is Record<string, number> => v !== null && typeof v === 'object';

export interface StatusView {
  status: Status;
  /** A symbol and a word, so the status never rests on colour alone. */
  symbol: string;
  label: string;
  reason?: string;
}

export interface Comparison {
  period: string;
  /** The period in few words ("Sep", "Oct ’25", "W42", "Q2 ’25"), for narrow layouts. */
  short: string;
  value: number;
  display: string;
  delta: string;
  /** Whether the move is in the KPI's good direction. */
  better: boolean | null;
}

export interface TrendView {
  period: string;
  /** Null when missing or suppressed. */
  value: number | null;
  n: number;
  suppressed?: true;
  provisional?: true;
  /** The definition changed in this period (the values before it were recomputed with the new one). */
  definition_change?: DefinitionChange;
}

export interface BreakdownCell {
  value: string;
  display: string;
  n: number;
  status: StatusView;
  suppressed: boolean;
}

export interface KpiRow {
  id: string;
  name: string;
  description: string;
  kind: string;
  unit: KpiModel['unit'];
  /** A score KPI's digits, the same for all its values (see scaleDigits). */
  digits?: number;
  direction: KpiModel['direction'];
  indicator: KpiModel['indicator'];
  stages: string[];
  /** The reported period (earlier than the scorecard's when the KPI is stale). */
  period: string;
  value: Value;
  display: string;
  n: number;
  suppressed: boolean;
  /** Why there is no value. */
  reason?: string;
  status: StatusView;
  target?: { value: TargetValue; display: string; from: string; detail?: string };
  target_note?: string;
  previous?: Comparison;
  last_year?: Comparison;
  trend: TrendView[];
  anomaly?: Anomaly;
  definition_changes: Array<DefinitionChange & { period: string }>;
  stale?: { requested: string; source: string; lag: string };
  provisional?: true;
  /** NPS-style scores: the answer distribution grouped into promoters, passives and detractors. */
  distribution?: { promoters: number; passives: number; detractors: number; respondents: number };
  /** For share and stage KPIs: each category's share. */
  mix?: Array<{ category: string; label: string; share: number; display: string }>;
  breakdown?: BreakdownCell[];
  /**
   * Goal attainment before its goals' planning periods end. `new_goals`: some goals began
   * within this period, so the previous period's value counted other goals and is not compared.
   */
  pace?: {
    elapsed: number; expected: number; full: number; on_pace_share: number | null; new_goals: boolean; display: string;
    /**
     * Where the value lands at the end of the planning period (`span`), from `periods` past
     * periods at the same place: the median projection and, from 4 periods on, its 10th–90th
     * percentiles, expected to hold the end value with chance `coverage` (0.8 from 9 periods). `expected_curve`: the target times the median share of their end value past
     * periods had reached by now (beside the straight-line `expected`). `note`: why there is none.
     */
    projected?: { value: number; low?: number; high?: number; coverage?: number; periods: number; span: string; expected_curve?: number; display: string };
    projection_note?: string;
  };
  /** Beside its parts, a total that counts each HCP once says so ("All brands counts each HCP once, …"). */
  total_note?: string;
}

export interface Group {
  id: string;
  title: string;
  rows: KpiRow[];
}

export interface Mover {
  id: string;
  name: string;
  delta: string;
  /** The period the move is measured from. */
  since: string;
  better: boolean | null;
  status: StatusView;
  /** What moved it, per dimension the scorecard's `explain` names (only when it opts in). */
  moved?: MovedBy[];
}

export interface RecipientScorecard {
  scorecard: { id: string; title: string; description?: string; grain: string };
  project: string;
  recipient: { name: string; email: string; filter: Dims };
  slice: Dims;
  /** "Brand cardiora", "Territory T-042", or "All brands" for the total. */
  slice_label: string;
  period: { label: string; start: string; end: string };
  as_of: { snapshot: string; display: string; sources: Array<{ source: string; coverage_end?: string; lag?: string; display: string }> };
  audit: { config_hash: string; snapshot_id: string; snapshot_checksum: string };
  headline: { counts: Record<'green' | 'amber' | 'red' | 'other', number>; text: string; movers: Mover[] };
  groups: Group[];
  breakdown?: { dimension: string; values: string[] };
  brief?: BriefView;
  /** No KPI has a value for this recipient's slice. */
  empty: boolean;
  /** Privacy: values hidden in this scorecard (including complementary suppression). */
  suppressed: number;
  /** Privacy: cells counting fewer entities than this are hidden (the project's minimum cell size). */
  min_cell: number;
  /** What the counted entities are called (HCPs when not given). */
  entity?: EntityWords;
}
