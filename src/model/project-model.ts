import type { ProjectSpec } from '../spec/project.js';
import type { EntityWords } from './entity-words.js';
import type { Calendar } from './period.js';

/** The project facts the compiler and the evaluator read, defaults filled in (built by `normalize.ts`). */
export interface ProjectModel {
  /** The project's name, shown in scorecards and reviews. */
  name: string;
  /** The customer-journey stages in order, earliest first, with the names readers see. */
  journey: Array<{ id: string; name: string }>;
  calendar: Calendar;
  privacy: {
    /** Cells counting fewer HCPs than this are suppressed. */
    minCellSize: number;
    repFacingRx?: { optOut: string; sources: string[] };
  };
  /** The HCP table and its key. */
  entity: { source: string; key: string };
  /** What the counted entities are called ("HCP", "customer"). */
  words: EntityWords;
  /** The interactions table (the source with channel and event roles), if any. */
  events?: string;
  /** The declared tables: columns and their types, roles, keys (the vocabulary of every query). */
  sources: ProjectSpec['sources'];
  warehouse?: ProjectSpec['warehouse'];
}
