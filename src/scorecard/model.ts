/**
 * A recipient's scorecard, by idea: what it is built from (context), what it shows (view),
 * and how (build, row, privacy, breakdown, groups, headline, select, slice, status words).
 * Kept so that older imports of this module still resolve; import from the files themselves.
 */
export * from './breakdown.js';
export * from './build.js';
export * from './context.js';
export * from './groups.js';
export * from './headline.js';
export * from './pace.js';
export * from './privacy.js';
export * from './row.js';
export * from './select.js';
export * from './slice.js';
export * from './status-words.js';
export * from './view.js';
export { shortPeriod } from './format.js';
