import type { ProjectModel } from '../model/project-model.js';
import type { ScorecardSpec } from '../spec/scorecard.js';
import type { Group, KpiRow } from './view.js';

/** The scorecard's rows in groups: by journey stage, by leading or lagging indicator, both, or one group. */
export function groupsOf(scorecard: ScorecardSpec, rows: readonly KpiRow[], journey: ProjectModel['journey']): Group[] {
  const by = scorecard.group_by ?? [];
  const stageOrder = journey.filter((s) => !scorecard.stages || scorecard.stages.includes(s.id));
  const primaryStage = (r: KpiRow) => stageOrder.find((s) => r.stages.includes(s.id)) ?? journey.find((s) => r.stages.includes(s.id));
  const indicators = [['leading', 'Leading indicators'], ['lagging', 'Lagging indicators']] as const;
  if (by.includes('stage')) {
    const stages = [...stageOrder, ...journey.filter((s) => !stageOrder.includes(s))];
    return stages.flatMap((stage) => {
      const inStage = rows.filter((r) => primaryStage(r)?.id === stage.id);
      if (!by.includes('indicator')) return inStage.length > 0 ? [{ id: stage.id, title: stage.name, rows: inStage }] : [];
      return indicators.flatMap(([ind, title]) => {
        const these = inStage.filter((r) => r.indicator === ind);
        return these.length > 0 ? [{ id: `${stage.id}.${ind}`, title: `${stage.name} · ${title.split(' ')[0]!.toLowerCase()}`, rows: these }] : [];
      });
    });
  }
  if (by.includes('indicator')) return indicators.flatMap(([ind, title]) => {
    const these = rows.filter((r) => r.indicator === ind);
    return these.length > 0 ? [{ id: ind, title, rows: these }] : [];
  });
  return [{ id: 'all', title: 'KPIs', rows: [...rows] }];
}
