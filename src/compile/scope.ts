import type { Model } from '../model/model.js';
import type { Dialect } from './dialects/index.js';

/**
 * What the per-HCP builders read: the model, the dialect and the dimension sets to group
 * by. A kind's context is one; a fused scan makes one for the KPIs it serves.
 */
export interface SliceScope {
  model: Model;
  dialect: Dialect;
  sets: string[][];
}
