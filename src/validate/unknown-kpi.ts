import type { ProjectFiles } from './files.js';
import { suggest } from '../text/suggest.js';

/**
 * What to say about a KPI id that is not defined: the KPI that now defines the measure the
 * id had when last committed (a rename), else the id it is a likely typo of.
 */
export function unknownKpiParams(files: ProjectFiles, name: string, ids: readonly string[]): { name: string; suggestion?: string; renamed?: { id: string; file: string } } {
  const renamed = files.renamed?.get(name);
  if (renamed) return { name, renamed };
  const suggestion = suggest(name, ids);
  return suggestion ? { name, suggestion } : { name };
}

/**
 * KPIs renamed since a commit: each id defined then and not now whose definition hash a
 * KPI now has under another id, mapped to that KPI and its file.
 */
export function renamesSince(committed: ReadonlyMap<string, string>, now: ReadonlyMap<string, string>, files: ProjectFiles): Map<string, { id: string; file: string }> {
  const out = new Map<string, { id: string; file: string }>();
  for (const [id, hash] of committed) {
    if (now.has(id) || files.unchecked.kpi.has(id)) continue;
    const successor = files.kpis.find((k) => !committed.has(k.spec.id) && now.get(k.spec.id) === hash);
    if (successor) out.set(id, { id: successor.spec.id, file: successor.file.path });
  }
  return out;
}
