#!/usr/bin/env bash
# The pull request's review, in its own job (read-only token, no secrets): annotations for
# validation errors, the semantic diff with the numbers before → after on the snapshot, and
# a preview of the scorecards. It writes review/ (the artifact the trusted job reads as
# data) and preview/, and outputs kpiops diff's exit code (or the preview's) instead of
# failing, so that the review is uploaded before the job fails on it.
set -euo pipefail
if [ -z "${SNAPSHOT:-}" ]; then echo "::error::the review needs a snapshot (the data its numbers come from): set the snapshot input"; exit 1; fi
if [ -z "${BASE_REF:-}" ]; then echo "::error::the review needs the pull request's base branch (base-ref): run it on pull_request events"; exit 1; fi
if ! [[ "${PR_NUMBER:-}" =~ ^[0-9]+$ ]] || ! [[ "${HEAD_SHA:-}" =~ ^[0-9a-f]{40}$ ]]; then
  echo "::error::the review needs the pull request's number and head commit (pull-request, head-sha)"; exit 1
fi
kpiops() { npx --no-install kpiops "$@"; }
# Errors are annotated here and listed in the review; the job fails on exit-code at its end.
kpiops validate --format github || true
if [ "${CHECK_CODEOWNERS:-true}" = "true" ]; then kpiops codeowners --check; fi
# Each scheduled scorecard's cron must be a line of the send workflow, or it is never sent.
workflow="${GITHUB_WORKSPACE:-}/.github/workflows/scorecards.yml"
if [ -n "${GITHUB_WORKSPACE:-}" ] && [ -f "$workflow" ]; then kpiops schedule --check "$(realpath --relative-to=. "$workflow")"; fi
if [ "${SAMPLE:-false}" = "true" ]; then kpiops sample --out "$SNAPSHOT" --months 24 --if-missing -q; fi
mkdir -p review
# Exits 1 on validation errors or a removed KPI still in use: the review is still written.
status=0
kpiops diff --base "origin/$BASE_REF" --snapshot "$SNAPSHOT" --out-dir review -q > /dev/null || status=$?
echo "$status" > review/exit-code
printf '{"pr": %s, "head_sha": "%s"}\n' "$PR_NUMBER" "$HEAD_SHA" > review/pull-request.json
if [ -f review/review.md ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat review/review.md >> "$GITHUB_STEP_SUMMARY"; fi
# A project the diff found errors in may not render at all: the review above is still
# uploaded, and the job still fails. A preview that fails on its own fails the job too.
preview=0
kpiops run --snapshot "$SNAPSHOT" --out preview -q || preview=$?
if [ "$status" -eq 0 ] && [ "$preview" -ne 0 ]; then status=$preview; fi
echo "exit-code=$status" >> "$GITHUB_OUTPUT"
