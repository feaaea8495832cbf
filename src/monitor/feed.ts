import { checksFinding } from './checks.js';
import type { FeedDeclaration, FeedFinding, FeedStats } from './finding.js';
import { freshnessFinding } from './freshness.js';
import { schemaFinding } from './schema.js';
import { volumeFinding } from './volume.js';

export type { FeedDeclaration, FeedFinding, FeedStats, MonitorName } from './finding.js';

/**
 * Every enabled check of one feed, in a fixed order: freshness, volume, schema (each when
 * its setting is on), then the load checks, which are always judged: a feed whose file
 * fails them gives nothing to any KPI.
 */
export function monitorFeed(stats: FeedStats, declared: FeedDeclaration): FeedFinding[] {
  const { monitor } = declared;
  return [
    ...(monitor.freshness ? [freshnessFinding(stats, declared.lag)] : []),
    ...(monitor.volume ? [volumeFinding(stats, declared.lag, monitor)] : []),
    ...(monitor.schema ? [schemaFinding(stats, declared.lag)] : []),
    checksFinding(stats),
  ];
}
