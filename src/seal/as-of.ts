const AS_OF = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.(\d+))?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * `--as-of` as the manifest writes it: UTC, whole seconds (`2026-11-01T00:00:00Z`). A day
 * alone is its midnight UTC; a time without an offset is UTC, as every time in kpiops is.
 */
export function parseAsOf(text: string): { asOf: string } | { error: string } {
  const m = AS_OF.exec(text.trim());
  const error = `--as-of must be a UTC date or time such as 2026-11-01 or 2026-11-01T06:00:00Z (got "${text}")`;
  if (!m) return { error };
  if (m[3] && /[1-9]/.test(m[3])) return { error: `--as-of must be a whole second (got "${text}")` };
  const [, day, time = '00:00', , offset = 'Z'] = m;
  const ms = Date.parse(`${day}T${time.length === 5 ? `${time}:00` : time.slice(0, 8)}${offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset}`);
  // Date.parse rolls 2026-02-30 over to March: a day that does not exist is refused instead.
  const [y, mo, d] = day!.split('-').map(Number) as [number, number, number];
  if (Number.isNaN(ms) || new Date(Date.UTC(y, mo - 1, d)).toISOString().slice(0, 10) !== day) return { error };
  return { asOf: formatAsOf(ms) };
}

/** An instant as the manifest's as_of: UTC, whole seconds. */
export const formatAsOf = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Whether a table's latest time (`YYYY-MM-DD HH:MM:SS.ffffff`, UTC, as DuckDB prints it) is
 * after `asOf`, to the microsecond: loading refuses such rows.
 */
export function isAfter(latest: string, asOf: string): boolean {
  const ms = Date.parse(`${latest.slice(0, 23).replace(' ', 'T')}Z`);
  const asOfMs = Date.parse(asOf);
  return ms > asOfMs || (ms === asOfMs && /[1-9]/.test(latest.slice(23)));
}

/** The latest time for people: `2026-10-31 23:59:59`, fractions of a second only when there are some. */
export const shownTime = (latest: string) => latest.replace(/\.0+$/, '').replace(/(\.\d*?)0+$/, '$1');

/** A snapshot's id when none is given: its folder's name and its as_of day (`2026-11-2026-11-01`). */
export const defaultId = (dirName: string, asOf: string) => `${dirName}-${new Date(asOf).toISOString().slice(0, 10)}`;
