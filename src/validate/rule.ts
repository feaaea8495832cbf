import type { Code, ParamsOf } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ProjectFiles } from './files.js';
import { rangeFor, toPointer, type Target, type ValuePath } from '../source/locate.js';
import { type YamlFile } from '../source/yaml-file.js';
import { diagnostic } from '../diagnostics/create.js';
import type { ProjectSpec } from '../spec/project.js';
import type { Range } from '../diagnostics/diagnostic.js';

/** Where a finding points: a value (or key) in a file, or an explicit range. */
export interface At {
  file: YamlFile;
  path: ValuePath;
  target?: Target;
  range?: Range;
}

export interface RuleContext {
  files: ProjectFiles;
  /** The project settings; rules that need them run only when kpiops.yaml is valid. */
  project: ProjectSpec;
  report<C extends Code>(code: C, params: ParamsOf<C>, at: At): void;
}

/** One semantic check. It reports through the context and never throws on user input. */
export interface Rule {
  name: string;
  check(ctx: RuleContext): void;
  /**
   * The rule does not read `ctx.project`, so it also runs when kpiops.yaml has errors
   * (duplicate ids and unknown KPIs are worth reporting in the same run).
   */
  withoutProject?: true;
}

/**
 * Runs every rule (only those marked `withoutProject` when the project settings are not
 * valid); a rule that crashes becomes one internal-error diagnostic and the rest still run.
 */
export function runRules(rules: readonly Rule[], files: ProjectFiles, project: ProjectSpec | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = <C extends Code>(code: C, params: ParamsOf<C>, at: At) => {
    const range = at.range ?? rangeFor(at.file, at.path, at.target);
    out.push(diagnostic(code, params, { file: at.file.path, range: range, path: toPointer(at.path) }));
  };
  for (const rule of rules) {
    if (!project && !rule.withoutProject) continue;
    try {
      rule.check({ files, project: project as ProjectSpec, report });
    } catch (error) {
      const file = files.project?.file.path ?? 'kpiops.yaml';
      const message = error instanceof Error ? error.message : String(error);
      out.push(diagnostic('internal/rule-crashed', { rule: rule.name, error: message }, { file: file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }));
    }
  }
  return out;
}
