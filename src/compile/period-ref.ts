import type { EvalPeriod } from '../model/period.js';
import type { PeriodRef } from './plan.js';

export const periodRef = (p: EvalPeriod): PeriodRef => ({ label: p.label, start: p.start.toISOString(), end: p.end.toISOString() });
