import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exitCodeFor, hasErrors } from '../diagnostics/diagnostic.js';
import { validateProject } from '../validate/project.js';
import { codeownerLines, withBlock } from '../scaffold/codeowners.js';
import { report } from './output.js';

export { BEGIN, END, codeownerLines, withBlock } from '../scaffold/codeowners.js';

export interface CodeownersOptions {
  project: string;
  check?: boolean;
}

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

const FILE = '.github/CODEOWNERS';

/** `kpiops codeowners [--check]`: writes the owners' block of .github/CODEOWNERS, or with --check says whether it is current (exit 1 when not). */
export async function codeownersCommand(options: CodeownersOptions, s: Streams): Promise<number> {
  const validated = await validateProject(options.project);
  if (hasErrors(validated.diagnostics)) {
    report(validated.diagnostics, validated.texts, s);
    return exitCodeFor(validated.diagnostics);
  }
  const f = validated.files;
  const lines = codeownerLines([...f.kpis, ...f.channels, ...f.scorecards, ...f.alerts].map((x) => ({ path: x.file.path, owner: (x.spec as { owner?: string }).owner })));
  const path = join(options.project, FILE);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const next = withBlock(current, lines);
  const unowned = [...f.kpis, ...f.channels, ...f.scorecards, ...f.alerts].filter((x) => !(x.spec as { owner?: string }).owner).map((x) => x.file.path);
  if (options.check) {
    if (current === next) {
      s.err.write(`✔ ${FILE} is current (${lines.length} owned files)\n`);
      return 0;
    }
    const had = new Set(current.split('\n'));
    const missing = lines.filter((l) => !had.has(l));
    s.err.write(`✖ ${FILE} is out of date: run \`kpiops codeowners\` and commit it${missing.length > 0 ? `\n  missing: ${missing.slice(0, 10).join('\n  missing: ')}${missing.length > 10 ? `\n  … and ${missing.length - 10} more` : ''}` : ''}\n`);
    return 1;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, next);
  s.err.write(`✔ ${FILE}: ${lines.length} owned files${unowned.length > 0 ? `; without an owner: ${unowned.join(', ')}` : ''}\n`);
  return 0;
}
