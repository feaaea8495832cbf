import { median, medianAbsoluteDeviation } from '../model/stats.js';

/**
 * Whether a value is far outside the spread of the periods before it: the modified z-score
 * of Iglewicz and Hoaglin, |x − median| ÷ (1.4826 × MAD) over the trailing values, above
 * 3.5. Median and median absolute deviation are not pulled by the outlier itself, unlike
 * a mean and standard deviation over a dozen points. It needs at least 6 earlier values;
 * when the trailing values do not vary at all (MAD 0), any change is a move far outside.
 */
export const ANOMALY_THRESHOLD = 3.5;
export const ANOMALY_MIN_HISTORY = 6;

export interface Anomaly {
  /** The modified z-score (Infinity when the history never varied). */
  score: number;
  /** Direction of the move. */
  direction: 'up' | 'down';
}

export function anomalyOf(value: number | null, history: ReadonlyArray<number | null>): Anomaly | undefined {
  const past = history.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (value === null || past.length < ANOMALY_MIN_HISTORY) return undefined;
  const m = median(past);
  const mad = medianAbsoluteDeviation(past);
  const deviation = value - m;
  if (deviation === 0) return undefined;
  const score = mad === 0 ? Infinity : Math.abs(deviation) / (1.4826 * mad);
  return score > ANOMALY_THRESHOLD ? { score, direction: deviation > 0 ? 'up' : 'down' } : undefined;
}
