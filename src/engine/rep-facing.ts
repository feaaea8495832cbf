import type { ProjectModel } from '../model/project-model.js';

/** What the rule reads of a project. */
export type RepFacingProject = Pick<ProjectModel, 'privacy' | 'entity' | 'sources'>;

/** What `privacy.rep_facing_rx` asks, resolved against the declared sources. */
export interface RepFacingRule {
  hcpTable: string;
  hcpKey: string;
  /** The HCP table's boolean column: true for an HCP who opted out (PDRP). */
  optOut: string;
  /** Each prescribing source to filter, with its column referencing the HCP table. */
  sources: ReadonlyMap<string, string>;
}

/**
 * The rep-facing rule of a project, or what is wrong with it in words (the same checks on
 * every engine). No rule (nothing to filter) when the project sets none.
 */
export function repFacingRule(project: RepFacingProject): { rule?: RepFacingRule; problems: string[] } {
  const rule = project.privacy.repFacingRx;
  if (!rule) return { problems: [] };
  const { source: hcpTable, key: hcpKey } = project.entity;
  const problems: string[] = [];
  if (project.sources[hcpTable]?.columns[rule.optOut]?.type !== 'boolean') problems.push(`kpiops.yaml: privacy.rep_facing_rx.opt_out: ${rule.optOut} is not a boolean column of ${hcpTable}`);
  const sources = new Map<string, string>();
  for (const source of rule.sources) {
    const spec = project.sources[source];
    const ref = spec && Object.entries(spec.columns).find(([, c]) => c.references === hcpTable)?.[0];
    if (ref) sources.set(source, ref);
    else problems.push(`kpiops.yaml: privacy.rep_facing_rx.sources: ${source} is not a source with a column referencing ${hcpTable}`);
  }
  if (problems.length > 0) return { problems };
  return { rule: { hcpTable, hcpKey, optOut: rule.optOut, sources }, problems: [] };
}

/**
 * A rep-facing source's rows as a query: the source without the opted-out HCPs' rows.
 * `table` gives each table's SQL name, `ident` quotes.
 */
export function repFacingSelect(rule: RepFacingRule, source: string, table: (source: string) => string, ident: (name: string) => string): string {
  const ref = rule.sources.get(source)!;
  return `SELECT s.* FROM ${table(source)} AS s LEFT JOIN ${table(rule.hcpTable)} AS h ON s.${ident(ref)} = h.${ident(rule.hcpKey)}
        WHERE NOT COALESCE(h.${ident(rule.optOut)}, FALSE)`;
}
