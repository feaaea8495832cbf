#!/usr/bin/env bash
# Renders every recipient's scorecard and sends what the delivery ledger (ledger/, restored
# from the kpiops-ledger branch) says is still owed: exactly once per scorecard, period and
# recipient. The scorecard and period are checked again here, as plan-send checks them,
# since a workflow may call the send without it; an empty period is resolved the same way
# (but then two sends of one period cannot share a concurrency group named by it).
set -euo pipefail
PERIOD_FORM='^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4]|W[0-5][0-9])$'
if ! [[ "${SCORECARD:-}" =~ ^[a-z][a-z0-9_]*$ ]]; then echo "::error::not a scorecard id: '${SCORECARD:-}'"; exit 1; fi
if [ -n "${PERIOD:-}" ] && ! [[ "$PERIOD" =~ $PERIOD_FORM ]]; then
  echo "::error::period must look like 2026-10, 2026-Q3 or 2026-W43 (got '$PERIOD')"; exit 1
fi
if [ -z "${SNAPSHOT:-}" ]; then echo "::error::the send needs a snapshot: set the snapshot input"; exit 1; fi
if [ "${SAMPLE:-false}" = "true" ]; then npx --no-install kpiops sample --out "$SNAPSHOT" --months 24 --if-missing -q; fi
if [ -z "${PERIOD:-}" ]; then
  resolved=$(npx --no-install kpiops run --snapshot "$SNAPSHOT" --scorecard "$SCORECARD" --print-period -q)
  PERIOD="${resolved#"$SCORECARD "}"
  if ! [[ "$PERIOD" =~ $PERIOD_FORM ]]; then echo "::error::could not resolve the period of $SCORECARD (got '$resolved')"; exit 1; fi
fi
if [ "${DRY_RUN:-true}" = "false" ]; then mode=--send; else mode=--dry-run; fi
npx --no-install kpiops run --snapshot "$SNAPSHOT" --scorecard "$SCORECARD" --period "$PERIOD" \
  --out out/outbox --ledger ledger/deliveries.jsonl "$mode" -q
