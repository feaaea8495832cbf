/**
 * Option values checked as commander reads them (each is an `argParser`), so every command
 * refuses a malformed value the same way, before any work: `kpiops: <what is wrong>`, exit 2.
 * A value is kept as typed (defaults are never parsed, so they stay the same kind);
 * the command converts it. Checks that need the project (a `--period` on its calendar) or
 * several options together stay with the command.
 */

/** A usage problem found on the command line; `run` prints it as `kpiops: <message>` and exits 2. */
export class UsageError extends Error {}

/** An option parser that keeps a value `valid` accepts, or says what is wrong with it. */
const checked = (valid: (value: string) => boolean, problem: (value: string) => string) => (value: string): string => {
  if (!valid(value)) throw new UsageError(problem(value));
  return value;
};

/** `--hcps 5000`: digits only, within the bounds. */
export const wholeNumber = (name: string, min: number, max: number) =>
  checked((v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max, (v) => `--${name} must be a whole number from ${min} to ${max} (got "${v}")`);

/** `--ledger-wait 600`: a number of seconds, zero or more. */
export const seconds = (name: string) =>
  checked((v) => Number.isInteger(Number(v)) && Number(v) >= 0, (v) => `--${name} must be a whole number of seconds (got "${v}")`);

/** `--memory-limit 3GB`: what DuckDB's memory_limit accepts. */
export const memorySize = checked((v) => /^\d+(\.\d+)?\s*(KB|MB|GB|TB)$/i.test(v), (v) => `--memory-limit must be a size such as 3GB or 512MB (got "${v}")`);

/** `--as-of 2026-11-01` for a plan: any date or timestamp JavaScript reads. */
export const dateOrTimestamp = checked((v) => !Number.isNaN(new Date(v).getTime()), (v) => `--as-of must be a date or timestamp such as 2026-11-01 (got "${v}")`);

/** `--end 2026-10`: a calendar month. */
export const month = (name: string) => checked((v) => /^\d{4}-(0[1-9]|1[0-2])$/.test(v), (v) => `--${name} must be a month such as 2026-10 (got "${v}")`);
