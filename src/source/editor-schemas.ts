import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The inputs hash stored in each generated editor schema under `dir` (relative to the
 * project root), by file name: undefined for a file that is missing or unreadable, and
 * no map at all when the folder does not exist (the project does not use them).
 */
export function storedSchemaHashes(root: string, dir: string, files: readonly string[], key: string): Map<string, string | undefined> | undefined {
  const out = new Map<string, string | undefined>();
  let found = false;
  for (const file of files) {
    try {
      const stored = (JSON.parse(readFileSync(join(root, dir, file), 'utf8')) as Record<string, unknown>)[key];
      out.set(file, typeof stored === 'string' ? stored : undefined);
      found = true;
    } catch (error) {
      // A file that is there but is not JSON counts as present (and stale); only absence means "not used".
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') found = true;
      out.set(file, undefined);
    }
  }
  return found ? out : undefined;
}
