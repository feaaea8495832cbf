/**
 * The template files a scorecard may be rendered with, handed to `render/` by whoever read
 * them: rendering reads no disk, so it runs the same on files, a git revision or a test's
 * strings. Names are relative to a templates folder: `scorecard.mjml`,
 * `partials/header.mjml`, `scorecard.txt.hbs`.
 */
export interface TemplateSource {
  /** The file's text and the path messages name it by (`file:line`); undefined when no folder has it. */
  read(file: string): { text: string; path: string } | undefined;
  /** Where a file of this folder (`''` or `'partials'`) was looked for, in words: `templates or /pkg/templates`. */
  searched(folder: string): string;
}
