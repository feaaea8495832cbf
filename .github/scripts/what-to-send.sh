#!/usr/bin/env bash
# Names a send (scorecard, period, dry run or not) before it starts, safely: inputs arrive
# as environment variables and are checked before use. An empty period is resolved here,
# from the snapshot (SNAPSHOT) as `kpiops run` would resolve it, so that the send is named
# by what it sends: a scheduled run and a manual one for the same scorecard and period
# share one concurrency group. A scheduled run names no scorecard: it gives its cron line
# (INPUT_SCHEDULE, the workflow's github.event.schedule) and the scorecards decide, each by
# its own schedule.cron (`kpiops schedule --cron`), so no mapping is repeated here.
set -euo pipefail
scorecard="${INPUT_SCORECARD:-}"
schedule="${INPUT_SCHEDULE:-}"
if [ -z "$scorecard" ] && [ -n "$schedule" ]; then
  scorecard=$(npx --no-install kpiops schedule --cron "$schedule")
fi
period="${INPUT_PERIOD:-}"
if [ "${INPUT_DRY_RUN:-true}" = "false" ]; then dry_run=false; else dry_run=true; fi
if [ -z "$scorecard" ]; then echo "::error::no scorecard to send: the workflow gives none for this event"; exit 1; fi
if ! [[ "$scorecard" =~ ^[a-z][a-z0-9_]*$ ]]; then echo "::error::not a scorecard id: $scorecard"; exit 1; fi
PERIOD_FORM='^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4]|W[0-5][0-9])$'
if [ -n "$period" ] && ! [[ "$period" =~ $PERIOD_FORM ]]; then
  echo "::error::period must look like 2026-10, 2026-Q3 or 2026-W43 (got '$period')" >&2; exit 1
fi
if [ -z "$period" ]; then
  if [ "${SAMPLE:-false}" = "true" ]; then npx --no-install kpiops sample --out "$SNAPSHOT" --months 24 --if-missing -q; fi
  resolved=$(npx --no-install kpiops run --snapshot "$SNAPSHOT" --scorecard "$scorecard" --print-period -q)
  period="${resolved#"$scorecard "}"
  if ! [[ "$period" =~ $PERIOD_FORM ]]; then echo "::error::could not resolve the period of $scorecard (got '$resolved')" >&2; exit 1; fi
fi
{
  echo "scorecard=$scorecard"
  echo "period=$period"
  echo "dry-run=$dry_run"
} >> "$GITHUB_OUTPUT"
