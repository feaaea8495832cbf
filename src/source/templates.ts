import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './package.js';

/**
 * The templates that ship in the kpiops package, next to `dist/` wherever it is installed
 * (this repository, or a team's `node_modules/kpiops`). A project's `templates/` overrides
 * any of them file by file, so a team needs no `templates/` folder at all.
 */
export const BUILT_IN_TEMPLATES = join(PACKAGE_ROOT, 'templates');

/** The folders a template file is looked for in, first match wins: the project's, then the package's. */
export function templateDirs(projectTemplates?: string): string[] {
  return [...(projectTemplates ? [projectTemplates] : []), BUILT_IN_TEMPLATES];
}

/** Where a template file (`scorecard.mjml`, `partials/header.mjml`, `scorecard.txt.hbs`) is read from; undefined when in neither. */
export function templateFile(dirs: readonly string[], file: string): string | undefined {
  return dirs.map((d) => join(d, file)).find((p) => existsSync(p));
}

/**
 * The template files render/ compiles, read from these folders in order: the project's
 * `templates/` (when given), then the package's. Each file is read when render asks for it,
 * and named by its path in messages.
 */
export function templateSource(projectTemplates?: string): {
  read(file: string): { text: string; path: string } | undefined;
  searched(folder: string): string;
} {
  const dirs = templateDirs(projectTemplates);
  return {
    read: (file) => {
      const path = templateFile(dirs, file);
      return path === undefined ? undefined : { text: readFileSync(path, 'utf8'), path };
    },
    searched: (folder) => dirs.map((d) => (folder ? join(d, folder) : d)).join(' or '),
  };
}

/** Templates of emails that are not scorecards (`alert`: an alert's notice): no scorecard may name them. */
export const NOT_SCORECARD_TEMPLATES: readonly string[] = ['alert'];
const scorecardTemplates = (names: readonly string[]) => names.filter((n) => !NOT_SCORECARD_TEMPLATES.includes(n));

/** Names of the built-in scorecard templates (the `.mjml` files the package ships). */
export function builtInTemplateNames(): string[] {
  try {
    return scorecardTemplates(readdirSync(BUILT_IN_TEMPLATES).filter((f) => f.endsWith('.mjml')).map((f) => f.slice(0, -'.mjml'.length))).sort();
  } catch {
    return []; // a package installed without its templates: every name must then be the project's
  }
}

/**
 * The template names a scorecard may use: the project's own (`templates/<name>.mjml`, as
 * listed from disk or from a git revision) and the built-in ones, looked up in the same
 * order as when rendering, so `validate` accepts exactly what `run` can render.
 */
export function availableTemplates(projectNames: readonly string[]): string[] {
  return scorecardTemplates([...new Set([...projectNames, ...builtInTemplateNames()])]).sort();
}
