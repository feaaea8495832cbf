import { projectDefinitionHashes } from '../evaluate/results.js';
import type { ProjectFiles } from '../model/project.js';
import { suggest } from './suggest.js';

/**
 * What to say about a KPI id that is not defined: the KPI that now defines the measure the
 * id had when last committed (a rename), else the id it is a likely typo of.
 */
export function unknownKpiParams(files: ProjectFiles, name: string, ids: readonly string[]): { name: string; suggestion?: string; renamed?: { id: string; file: string } } {
  const before = files.committed?.get(name);
  if (before) {
    const now = projectDefinitionHashes(files);
    const successor = files.kpis.find((k) => k.spec.id !== name && now.get(k.spec.id) === before);
    if (successor) return { name, renamed: { id: successor.spec.id, file: successor.file.path } };
  }
  const suggestion = suggest(name, ids);
  return suggestion ? { name, suggestion } : { name };
}
