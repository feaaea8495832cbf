import { createRequire } from 'node:module';
import pc from 'picocolors';
import { terminalText } from '../../text/terminal.js';
import type { Diagnostic } from '../diagnostic.js';

// Loaded on first use: a clean run prints no frames and need not pay for it.
const require = createRequire(import.meta.url);
const codeFrame = () => (require('@babel/code-frame') as typeof import('@babel/code-frame')).codeFrameColumns;

export interface StylishOptions {
  color: boolean;
  /** File texts by path, for code frames. */
  sources: ReadonlyMap<string, string>;
}

function frame(text: string, d: Diagnostic, color: boolean): string {
  const { start, end } = d.range;
  const location = {
    start: { line: start.line + 1, column: start.character + 1 },
    // A zero-width range gets a single caret; a range ending on a later line is cut to its first line.
    end: end.line === start.line && end.character > start.character ? { line: end.line + 1, column: end.character + 1 } : { line: start.line + 1, column: start.character + 2 },
  };
  // The file's own text is data too: a control character in it is shown, never sent.
  return codeFrame()(terminalText(text, { lines: true }), location, { linesAbove: 2, linesBelow: 2, highlightCode: color, forceColor: color });
}

/** A sample row on one line, long values cut, at most 200 characters. */
function sampleRow(row: Record<string, unknown>): string {
  const cut = (v: unknown) => { const t = JSON.stringify(v) ?? 'null'; return t.length > 40 ? `${t.slice(0, 39)}…` : t; };
  const text = Object.entries(row).map(([k, v]) => `${k}=${cut(v)}`).join(', ');
  return terminalText(text.length > 200 ? `${text.slice(0, 199)}…` : text);
}

/**
 * Human output: per file, each finding as `line:col severity message code` with a code frame
 * under it. Paths, messages, rows and frames quote YAML and data, so all go through terminalText.
 */
export function formatStylish(diagnostics: readonly Diagnostic[], options: StylishOptions): string {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  let file: string | undefined;
  for (const d of diagnostics) {
    if (d.file !== file) {
      file = d.file;
      out.push('', c.underline(terminalText(file)));
    }
    // Data findings name their table and column; findings in YAML files their line and column.
    const where = d.table !== undefined ? `${d.table}${d.column ? `.${d.column}` : ''}` : `${d.range.start.line + 1}:${d.range.start.character + 1}`;
    const severity = d.severity === 'error' ? c.red('error') : c.yellow('warning');
    out.push(`  ${c.dim(terminalText(where).padEnd(7))} ${severity}  ${terminalText(d.message)}  ${c.dim(d.code)}`);
    if (d.row) out.push(c.dim(`    sample row: ${sampleRow(d.row)}`));
    const text = options.sources.get(d.file);
    if (text !== undefined && text.length > 0 && d.table === undefined) out.push(frame(text, d, options.color).replace(/^/gm, '    '));
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (diagnostics.length > 0) out.push('', (errors ? c.red : c.yellow)(`✖ ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`));
  return `${out.join('\n').replace(/^\n/, '')}\n`;
}
