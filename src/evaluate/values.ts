/** A KPI's value in one period and slice. */
export interface Value {
  value: number | Record<string, number> | null;
  /** Why the value is missing (null), in words. */
  reason?: string;
  /** The support count: HCPs, touches, respondents or goals behind the value. */
  n: number;
  components: Record<string, unknown>;
}

/** Another KPI's value in a slice and period (derived and benchmark KPIs read their inputs through it). */
export type InputValue = (id: string, slice: Record<string, string | number | boolean | null>, period: string) => { value: Value['value']; n: number } | undefined;

/** `num / den`, or no value with the reason when the denominator is 0 (never a made-up 0). */
export const divide = (num: number, den: number, n: number, components: Record<string, unknown>, why: string): Value =>
  den === 0 ? { value: null, reason: why, n, components } : { value: num / den, n, components };
