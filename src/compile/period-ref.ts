import type { Period } from '../model/period.js';
import type { PeriodRef } from './plan.js';

export const periodRef = (p: Period): PeriodRef => ({ label: p.label, start: p.start.toISOString(), end: p.end.toISOString() });
