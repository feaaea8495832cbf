import { Type, type Static, type TSchema } from '@sinclair/typebox';

import { VERSION } from './kinds.js';

export const Version = Type.Literal(VERSION, {
  description: 'File format version. kpiops reads `kpiops/v1`; a newer tool may read newer versions.',
  examples: [VERSION],
});

/** Lower-case identifier used for KPIs, channels, sources, columns, stages and scorecards. */
export const Id = (description: string, examples: string[]) =>
  Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64, description, examples });

export const Owner = Type.String({
  pattern: '^@[A-Za-z0-9](?:[A-Za-z0-9-]*)(?:/[A-Za-z0-9._-]+)?$',
  description:
    'Who answers for this definition: a GitHub user (`@jdoe`) or team (`@acme/brand-cardiora`). Their approval is required on pull requests that change it (see `kpiops codeowners`).',
  examples: ['@acme/omnichannel-analytics', '@jdoe'],
});

export const Duration = (description: string, examples: string[]) =>
  Type.String({ pattern: '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?$', description, examples });

/** A reporting period: month `2026-10`, ISO week `2026-W43` or quarter `2026-Q3`. */
export const PERIOD_PATTERN = '^\\d{4}-(0[1-9]|1[0-2]|W(0[1-9]|[1-4]\\d|5[0-3])|Q[1-4])$';

/**
 * A choice among fixed words, emitted as a JSON-Schema `enum` (one clear error and
 * editor completion for every value) rather than a union of constants.
 */
export const Literals = <const T extends readonly string[]>(values: T, options: { description: string; default?: T[number]; examples?: unknown[] }) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: values, ...options });

/** A value of one of several JSON types, emitted as a type list so errors name the types, not the branches. */
export const OfTypes = <T>(types: readonly string[], options: Record<string, unknown> = {}) =>
  Type.Unsafe<T>({ type: types, ...options });

export const Grain = Literals(['week', 'month', 'quarter'], {
  description: 'Reporting period length: ISO `week` (Monday to Sunday, UTC), calendar `month` or `quarter`.',
  examples: ['month'],
});
export type Grain = Static<typeof Grain>;

export const Description = (description: string, examples?: string[]) =>
  Type.String({ minLength: 1, description, ...(examples ? { examples } : {}) });

/** A JSON-Schema reference to a shared definition in `$defs`, typed as `T`. */
export const Ref = <T>(name: string, description?: string): TSchema & { static: T } =>
  Type.Unsafe<T>({ $ref: `#/$defs/${name}`, ...(description ? { description } : {}) });

/** Objects of every file kind reject unknown keys, so a typo is an error, not a silently ignored setting. */
export const closed = { additionalProperties: false } as const;
