import { Type, type Static } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import type { Impact } from '../../review/impact.js';
import { Id, Literals, PERIOD_PATTERN } from '../../spec/common.js';
import { newAjv } from '../../validate/validators.js';
import { readArtifactJson } from './artifact-file.js';

/**
 * `pull-request.json`, written by the review workflow from its event (not by kpiops):
 *
 * ```json
 * {"pr": 12, "head_sha": "4f0c…(40 hex digits)"}
 * ```
 */
const PullRequestFile = Type.Object({
  pr: Type.Integer({ minimum: 1, maximum: 1e9 }),
  head_sha: Type.String({ pattern: '^[0-9a-f]{40}$' }),
}, { additionalProperties: false });

const Status = Literals(['green', 'amber', 'red', 'no_target', 'insufficient_data', 'suppressed', 'stale'], { description: 'A value\'s status.' });
const Cell = Type.Union([Type.Null(), Type.Object({
  display: Type.String({ maxLength: 80 }), status: Status, symbol: Type.String({ maxLength: 8 }), n: Type.Number(),
}, { additionalProperties: false })]);
const Dims = Type.Record(Type.String({ maxLength: 64 }), Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean(), Type.Null()]), { maxProperties: 8 });
const Period = Type.String({ pattern: PERIOD_PATTERN });
/** A target and how many of the periods before the reported one met it. */
const Met = Type.Union([Type.Null(), Type.Object({ display: Type.String({ maxLength: 80 }), met: Type.Integer({ minimum: 0, maximum: 1e4 }), of: Type.Integer({ minimum: 0, maximum: 1e4 }) }, { additionalProperties: false })]);

/** The values before → after that the pull request's own job computed (`review.json`'s `impact`), bounded and shaped. */
const Count = Type.Integer({ minimum: 0, maximum: 1e6 });
const ImpactSchema = Type.Object({
  scorecards: Type.Array(Type.Object({
    scorecard: Id('Scorecard id.', ['brand_monthly']), change: Type.Optional(Literals(['added', 'removed'], { description: 'The whole scorecard is added or removed.' })), period: Period, audience: Count, kpis_changed: Count, status_flips: Count, recipients_affected: Count,
  }, { additionalProperties: false }), { maxItems: 500 }),
  kpis: Type.Array(Type.Object({
    id: Id('KPI id.', ['reach']), period: Period,
    slices: Type.Array(Type.Object({ dims: Dims, before: Cell, after: Cell }, { additionalProperties: false }), { maxItems: 5000 }),
    unchanged: Type.Integer({ minimum: 0 }), flips: Type.Integer({ minimum: 0 }),
    moved: Type.Optional(Type.Array(Type.Object({
      dimension: Type.String({ maxLength: 64 }), additive: Type.Boolean(), text: Type.String({ maxLength: 1000 }),
    }, { additionalProperties: false }), { maxItems: 20 })),
    targets: Type.Optional(Type.Array(Type.Object({
      dims: Dims, before: Met, after: Met, from: Period, to: Period,
    }, { additionalProperties: false }), { maxItems: 5000 })),
  }, { additionalProperties: false }), { maxItems: 2000 }),
  recipients: Type.Array(Type.Object({
    scorecard: Id('Scorecard id.', ['brand_monthly']), name: Type.String({ maxLength: 200 }), email: Type.String({ maxLength: 320 }),
    reasons: Type.Array(Type.String({ maxLength: 300 }), { maxItems: 200 }),
  }, { additionalProperties: false }), { maxItems: 20_000 }),
}, { additionalProperties: false });

/** `review.json` as `kpiops diff --out-dir` writes it; only `impact` is read, the rest is recomputed by the posting job. */
const ReviewFile = Type.Object({ version: Type.Literal('review/v1'), impact: Type.Optional(ImpactSchema) });

// The schema's type must stay assignable to what the review renders: the build fails when they drift.
const fitsImpact = (x: Static<typeof ImpactSchema>): Impact => x;

/** What the privileged posting job takes from an untrusted review artifact: never code, never the check's conclusion. */
export interface ReviewArtifact {
  pr: number;
  headSha: string;
  /** Values before → after on the sample snapshot, computed by the pull request's code: shown, labelled, never trusted. */
  impact?: Impact;
}

/** At most this many bytes per file: `review.json` with a full impact is ~200 KB on the demo project. */
export const LIMITS = { 'pull-request.json': 1024, 'review.json': 8 * 1024 * 1024 } as const;

let validators: { pr: ValidateFunction<Static<typeof PullRequestFile>>; review: ValidateFunction<Static<typeof ReviewFile>> } | undefined;
function compiled() {
  if (!validators) {
    const ajv = newAjv();
    validators = { pr: ajv.compile(PullRequestFile), review: ajv.compile(ReviewFile) };
  }
  return validators;
}

/** Reads `pull-request.json` and `review.json` from an artifact directory, as data (see readArtifactJson). */
export function readReviewArtifact(dir: string): { value: ReviewArtifact } | { problem: string } {
  const pr = readArtifactJson(dir, 'pull-request.json', LIMITS['pull-request.json'], compiled().pr);
  if ('problem' in pr) return pr;
  // Without review.json (the pull request's diff failed early) the review is still posted, without values.
  const review = readArtifactJson(dir, 'review.json', LIMITS['review.json'], compiled().review);
  if ('problem' in review && !review.missing) return review;
  const impact = 'value' in review ? review.value.impact : undefined;
  return { value: { pr: pr.value.pr, headSha: pr.value.head_sha, ...(impact ? { impact: fitsImpact(impact) } : {}) } };
}
