#!/usr/bin/env bash
# Decides the scorecard, period and mode of a Scorecards run from the event, safely: inputs
# arrive as environment variables and are checked before use. An empty period is resolved
# here, from the snapshot (SNAPSHOT) as `kpiops run` would resolve it, so that the send is
# named by what it sends: a scheduled run and a manual one for the same scorecard and
# period share one concurrency group.
set -euo pipefail
case "$EVENT" in
  schedule)
    case "$SCHEDULE" in
      "17 5 4 * *") scorecard=brand_monthly ;;
      "23 6 6 1,4,7,10 *") scorecard=executive_quarterly ;;
      "41 4 * * 1") scorecard=rep_weekly ;;
      *) echo "::error::no scorecard is scheduled at '$SCHEDULE'"; exit 1 ;;
    esac
    period=""
    mode=--send
    keep_briefs=false
    ;;
  workflow_dispatch)
    scorecard="$INPUT_SCORECARD"
    period="$INPUT_PERIOD"
    if [ "$INPUT_DRY_RUN" = "true" ]; then mode=--dry-run; else mode=--send; fi
    if [ "${INPUT_KEEP_BRIEFS:-false}" = "true" ]; then keep_briefs=true; else keep_briefs=false; fi
    ;;
  *) echo "::error::unexpected event $EVENT"; exit 1 ;;
esac
if ! [[ "$scorecard" =~ ^[a-z][a-z0-9_]*$ ]]; then echo "::error::not a scorecard id: $scorecard"; exit 1; fi
PERIOD_FORM='^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4]|W[0-5][0-9])$'
if [ -n "$period" ] && ! [[ "$period" =~ $PERIOD_FORM ]]; then
  echo "::error::period must look like 2026-10, 2026-Q3 or 2026-W43 (got '$period')" >&2; exit 1
fi
if [ -z "$period" ]; then
  resolved=$(node "${KPIOPS_CLI:-dist/cli/main.js}" run --snapshot "$SNAPSHOT" --scorecard "$scorecard" --print-period -q)
  period="${resolved#"$scorecard "}"
  if ! [[ "$period" =~ $PERIOD_FORM ]]; then echo "::error::could not resolve the period of $scorecard (got '$resolved')" >&2; exit 1; fi
fi
{
  echo "scorecard=$scorecard"
  echo "period=$period"
  echo "mode=$mode"
  echo "keep_briefs=$keep_briefs"
} >> "$GITHUB_OUTPUT"
