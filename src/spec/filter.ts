import { Type } from '@sinclair/typebox';
import { OfTypes, Ref, closed } from './common.js';

/** A value a column is compared with. */
export type Scalar = string | number | boolean | null;

/** A comparison on one column; several keys must all hold. `ne` and `not_in` treat null as "different". */
export interface Comparison {
  eq?: Scalar;
  ne?: Scalar;
  in?: Scalar[];
  not_in?: Scalar[];
  gt?: number | string;
  gte?: number | string;
  lt?: number | string;
  lte?: number | string;
  is_null?: boolean;
}

/**
 * A structured row filter. Keys are column names of the measure's source (or of the
 * HCP table it references); a bare value means equality, a list means "one of".
 * `all`, `any` and `not` combine filters. There is no way to write raw SQL.
 *
 * ```yaml
 * where:
 *   channel: email
 *   event: [opened, clicked]
 *   bot: {ne: true}          # false or missing
 *   any:
 *     - {segment: high_prescriber}
 *     - {decile: {gte: 8}}
 * ```
 */
export interface Filter {
  all?: Filter[];
  any?: Filter[];
  not?: Filter;
  [column: string]: Scalar | Scalar[] | Comparison | Filter | Filter[] | undefined;
}

const SCALAR_TYPES = ['string', 'number', 'boolean', 'null'];
const ScalarSchema = OfTypes<Scalar>(SCALAR_TYPES);
const Ordered = OfTypes<number | string>(['number', 'string']);

export const ComparisonSchema = Type.Object(
  {
    eq: Type.Optional({ ...ScalarSchema, description: 'Equal to this value.' }),
    ne: Type.Optional({ ...ScalarSchema, description: 'Different from this value (a missing value counts as different).' }),
    in: Type.Optional(Type.Array(ScalarSchema, { minItems: 1, description: 'One of these values.' })),
    not_in: Type.Optional(Type.Array(ScalarSchema, { minItems: 1, description: 'None of these values (a missing value counts as none).' })),
    gt: Type.Optional({ ...Ordered, description: 'Greater than (numbers, dates or timestamps).' }),
    gte: Type.Optional({ ...Ordered, description: 'Greater than or equal to.' }),
    lt: Type.Optional({ ...Ordered, description: 'Less than.' }),
    lte: Type.Optional({ ...Ordered, description: 'Less than or equal to.' }),
    is_null: Type.Optional(Type.Boolean({ description: '`true`: the value is missing; `false`: the value is present.' })),
  },
  { ...closed, minProperties: 1, description: 'A comparison; when several keys are given, all must hold.', examples: [{ gte: 8 }, { ne: true }] },
);

export const FilterSchema = Type.Object(
  {
    all: Type.Optional(Type.Array(Ref<Filter>('filter'), { minItems: 1, description: 'Every one of these filters holds.' })),
    any: Type.Optional(Type.Array(Ref<Filter>('filter'), { minItems: 1, description: 'At least one of these filters holds.' })),
    not: Type.Optional(Ref<Filter>('filter', 'This filter does not hold.')),
  },
  {
    propertyNames: { pattern: '^[a-z][a-z0-9_]*$' },
    // Dispatch on the value's JSON type instead of a union, so a mistake gets one precise error.
    additionalProperties: Type.Unsafe<Scalar | Scalar[] | Comparison>({
      type: [...SCALAR_TYPES, 'array', 'object'],
      items: { type: SCALAR_TYPES },
      minItems: 1,
      if: { type: 'object' },
      then: { $ref: '#/$defs/comparison' },
      description: 'A column of the source (or of the HCP table): a value (equal), a list (one of) or a comparison such as `{gte: 8}`.',
    }),
    description:
      'Which rows count. Keys are column names; a value means equal, a list means one of, `{gte: 8}` compares. Combine with `all`, `any`, `not`. No raw SQL.',
    examples: [{ channel: 'email', event: 'opened', bot: { ne: true } }],
  },
);

export const filterDefs = { filter: FilterSchema, comparison: ComparisonSchema };

export const Where = (description: string) => Ref<Filter>('filter', description);
