import { terminalText } from '../../text/terminal.js';
import type { Diagnostic } from '../diagnostic.js';

// Workflow-command escaping, as the GitHub Actions toolkit does it, after the control
// characters a log viewer would act on are made visible.
const escapeData = (s: string) => terminalText(s, { lines: true }).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions annotations: one `::error file=…,line=…,col=…::message` line per finding. */
export function formatGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const { start, end } = d.range;
      const props = [
        `file=${escapeProperty(d.file)}`,
        `line=${start.line + 1}`,
        `col=${start.character + 1}`,
        `endLine=${end.line + 1}`,
        `endColumn=${end.character + 1}`,
        `title=${escapeProperty(d.code)}`,
      ].join(',');
      return `::${d.severity === 'error' ? 'error' : 'warning'} ${props}::${escapeData(d.message)}\n`;
    })
    .join('');
}
