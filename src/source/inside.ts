import { closeSync, constants, openSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { START, type Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnostic } from '../diagnostics/create.js';

// The system's own realpath(3): one call, where Node's JavaScript one makes a call per path
// component (a thousand KPI files: 6 ms against 16 ms). Both follow every link and fail alike.
const realpath = realpathSync.native;

/** Where a path leads once every link on the way is followed. */
export type Leads =
  | { real: string }
  /** It leads out of the directory kpiops was pointed at (to `real`). */
  | { outside: string }
  /** Links that lead back to themselves (the system gives up: ELOOP). */
  | { loop: true }
  /** A link to nothing, or no file at all. */
  | { missing: true };

/**
 * A directory as the system knows it, with its own links resolved: `--project` and
 * `--snapshot` may themselves be links; what must stay inside is what they lead to.
 */
export function realDirectory(dir: string): string {
  try {
    return realpath(dir);
  } catch {
    return resolve(dir);
  }
}

/** Whether `real` is `root` or below it (both resolved). */
export const isWithin = (root: string, real: string) => {
  const rel = relative(root, real);
  return rel === '' || (!isAbsolute(rel) && rel.split(sep)[0] !== '..');
};

/**
 * Where `path` leads, checked against `root` (a real directory): a project or snapshot
 * file that is a link to somewhere else on the machine is never read, so a pull request
 * cannot make kpiops print `/etc/passwd` in a code frame or load it as a table.
 */
export function leadsTo(root: string, path: string): Leads {
  let real: string;
  try {
    real = realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { loop: true };
    if (code === 'ENOENT' || code === 'ENOTDIR') return { missing: true };
    throw error;
  }
  return isWithin(root, real) ? { real } : { outside: real };
}

/**
 * Reads the file at `path` (relative to `root`, a real directory) when it leads inside
 * `root`; otherwise says why not. Its folder is resolved once per folder (`folders` keeps
 * them), and the file is opened without following a link (O_NOFOLLOW): a file that is a
 * link, or a system without O_NOFOLLOW, gets the whole path resolved as `leadsTo` does.
 * Reading a thousand files this way saves a realpath(3) per file.
 */
export function readInside(root: string, path: string, folders: Map<string, Leads>): { bytes: Buffer } | { refused: LinkRefusal } {
  const noFollow = constants.O_NOFOLLOW;
  if (noFollow !== undefined) {
    const dir = dirname(path);
    let folder = folders.get(dir);
    if (!folder) folders.set(dir, folder = leadsTo(root, join(root, dir)));
    if ('real' in folder) {
      let fd: number | undefined;
      try {
        fd = openSync(join(folder.real, basename(path)), constants.O_RDONLY | noFollow);
      } catch (error) {
        // The file itself is a link (Linux and macOS say ELOOP, the BSDs EMLINK): resolved in full below.
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ELOOP' && code !== 'EMLINK') throw error;
      }
      if (fd !== undefined) {
        try {
          return { bytes: readFileSync(fd) };
        } finally {
          closeSync(fd);
        }
      }
    }
  }
  const leads = leadsTo(root, join(root, path));
  const refused = refusal(leads, 'the project');
  if (refused) return { refused };
  return { bytes: readFileSync('real' in leads ? leads.real : join(root, path)) };
}

export type LinkRefusal = { code: 'file/link-outside'; params: { target: string; within: string } } | { code: 'file/link-loop'; params: Record<string, never> };

/** Why kpiops will not read what `leads` describes, if it will not. `within` names the root for people. */
export function refusal(leads: Leads, within: string): LinkRefusal | undefined {
  if ('outside' in leads) return { code: 'file/link-outside', params: { target: leads.outside, within } };
  if ('loop' in leads) return { code: 'file/link-loop', params: {} };
  return undefined;
}

/** The refusal as a diagnostic about the link at `shownAs`. */
export const refusalDiagnostic = (r: LinkRefusal, shownAs: string): Diagnostic => diagnostic(r.code, r.params as never, { file: shownAs, range: START });
