import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';

/** A JSON file from an artifact, or why it was refused (one sentence naming the file). */
export type ArtifactJson<T> = { value: T } | { problem: string; missing?: true };

// O_NOFOLLOW refuses a symbolic link swapped in after the lstat; O_NONBLOCK keeps a FIFO swapped in from hanging the job.
const FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Reads `name` from an artifact directory that an untrusted job wrote, as data only: it must
 * be a regular file directly in `dir` (not a symbolic link, a folder or a device), at most
 * `maxBytes`, JSON, and valid against `validate`. Nothing in it is loaded as code: the
 * privileged job must never `require()` or `import()` such a path, because Node then also
 * runs `name.js` or `name/index.js`, which the artifact's author controls.
 */
export function readArtifactJson<T>(dir: string, name: string, maxBytes: number, validate: ValidateFunction<T>): ArtifactJson<T> {
  const path = join(dir, name);
  const text = readRegularFile(dir, path, maxBytes);
  if (typeof text !== 'string') return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = Number(/at position (\d+)/.exec(message)?.[1] ?? NaN);
    if (Number.isNaN(at)) return { problem: `${path} is not JSON (${message})` };
    const before = text.slice(0, at).split('\n');
    return { problem: `${path}:${before.length}:${before.at(-1)!.length + 1}: not JSON (${message.replace(/ in JSON at position \d+.*$/, '')})` };
  }
  if (!validate(parsed)) {
    // The deepest error is the precise one: a union's other branches fail higher up ("must be null").
    const first = [...(validate.errors ?? [])].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length)[0];
    const where = first?.instancePath ? ` at ${first.instancePath}` : '';
    return { problem: `${path} is not a review artifact kpiops wrote: ${first?.message ?? 'unexpected content'}${where}` };
  }
  return { value: parsed };
}

function readRegularFile(dir: string, path: string, maxBytes: number): string | { problem: string; missing?: true } {
  const folder = lstatOrUndefined(dir);
  if (!folder?.isDirectory()) return { problem: `${dir} is not a folder (the review artifact is downloaded there)` };
  const stat = lstatOrUndefined(path);
  if (!stat) return { problem: `${path} is missing: the review artifact is incomplete`, missing: true };
  if (stat.isSymbolicLink()) return { problem: `${path} is a symbolic link: refused (an artifact's files are read only as regular files)` };
  if (!stat.isFile()) return { problem: `${path} is not a regular file: refused` };
  if (stat.size > maxBytes) return { problem: `${path} is ${stat.size.toLocaleString('en-US')} bytes, more than the ${maxBytes.toLocaleString('en-US')} a review artifact's file may have: refused` };
  let fd: number;
  try {
    fd = openSync(path, FLAGS);
  } catch (error) {
    return { problem: `${path} cannot be opened as a regular file (${(error as NodeJS.ErrnoException).code ?? 'error'}): refused` };
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return { problem: `${path} is not a regular file: refused` };
    // Read at most one byte past the limit: a file that grew after the lstat is refused, not read whole.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length;) {
      n = readSync(fd, buffer, length, buffer.length - length, null);
      length += n;
    }
    if (length > maxBytes) return { problem: `${path} is more than the ${maxBytes.toLocaleString('en-US')} bytes a review artifact's file may have: refused` };
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
