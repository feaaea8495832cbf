import type { Rule } from '../rule.js';
import { alertCondition } from './alert-condition.js';
import { alertIds } from './alert-ids.js';
import { alertKpis } from './alert-kpis.js';
import { alertSlices } from './alert-slices.js';
import { channelReferences } from './channel-references.js';
import { derivedCycles } from './derived-cycles.js';
import { derivedExpressions } from './derived-expressions.js';
import { kpiAggregates } from './kpi-aggregates.js';
import { kpiDimensions } from './kpi-dimensions.js';
import { kpiSources } from './kpi-sources.js';
import { kpiStages } from './kpi-stages.js';
import { measureRoles } from './measure-roles.js';
import { measureSettings } from './measure-settings.js';
import { overrideTies } from './override-ties.js';
import { ownerPresent } from './owner-present.js';
import { projectEncoding } from './project-encoding.js';
import { projectExports } from './project-exports.js';
import { projectMonitors } from './project-monitors.js';
import { projectSources } from './project-sources.js';
import { scorecardBalance } from './scorecard-balance.js';
import { scorecardKpis } from './scorecard-kpis.js';
import { scorecardRecipients } from './scorecard-recipients.js';
import { scorecardSlices } from './scorecard-slices.js';
import { scorecardTemplate } from './scorecard-template.js';
import { targets } from './targets.js';
import { thresholdsMode } from './thresholds-mode.js';
import { thresholdsOrder } from './thresholds-order.js';
import { uniqueIds } from './unique-ids.js';
import { unitKind } from './unit-kind.js';

/** The semantic rules, run in this order after every file passed its schema. */
export const RULES: readonly Rule[] = [
  uniqueIds, ownerPresent, projectSources, projectExports, projectEncoding, projectMonitors, channelReferences, kpiStages, kpiSources, kpiAggregates, measureRoles,
  measureSettings, kpiDimensions, derivedExpressions, derivedCycles, targets, thresholdsOrder, thresholdsMode, unitKind, overrideTies,
  scorecardKpis, scorecardBalance, scorecardTemplate, scorecardSlices, scorecardRecipients,
  alertIds, alertKpis, alertSlices, alertCondition,
];
