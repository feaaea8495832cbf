#!/usr/bin/env bash
# Decides the scorecard, period and mode of a Scorecards run from the event, safely: inputs
# arrive as environment variables and are checked before use.
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
    ;;
  workflow_dispatch)
    scorecard="$INPUT_SCORECARD"
    period="$INPUT_PERIOD"
    if [ "$INPUT_DRY_RUN" = "true" ]; then mode=--dry-run; else mode=--send; fi
    ;;
  *) echo "::error::unexpected event $EVENT"; exit 1 ;;
esac
if ! [[ "$scorecard" =~ ^[a-z][a-z0-9_]*$ ]]; then echo "::error::not a scorecard id: $scorecard"; exit 1; fi
if [ -n "$period" ] && ! [[ "$period" =~ ^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4]|W[0-5][0-9])$ ]]; then
  echo "::error::period must look like 2026-10, 2026-Q3 or 2026-W43 (got '$period')" >&2; exit 1
fi
{
  echo "scorecard=$scorecard"
  echo "period=$period"
  echo "mode=$mode"
} >> "$GITHUB_OUTPUT"
