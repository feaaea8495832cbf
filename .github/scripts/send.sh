#!/usr/bin/env bash
# Renders every recipient's scorecard and sends what the delivery ledger (ledger/, restored
# from the kpiops-ledger branch) says is still owed: exactly once per scorecard, period and
# recipient. The scorecard and period are checked again here, as plan-send checks them,
# since a workflow may call the send without it.
set -euo pipefail
if ! [[ "${SCORECARD:-}" =~ ^[a-z][a-z0-9_]*$ ]]; then echo "::error::not a scorecard id: '${SCORECARD:-}'"; exit 1; fi
if ! [[ "${PERIOD:-}" =~ ^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4]|W[0-5][0-9])$ ]]; then
  echo "::error::send needs the period plan-send resolved, like 2026-10, 2026-Q3 or 2026-W43 (got '${PERIOD:-}')"; exit 1
fi
if [ -z "${SNAPSHOT:-}" ]; then echo "::error::the send needs a snapshot: set the snapshot input"; exit 1; fi
if [ "${SAMPLE:-false}" = "true" ]; then npx --no-install kpiops sample --out "$SNAPSHOT" --months 24 --if-missing -q; fi
if [ "${DRY_RUN:-true}" = "false" ]; then mode=--send; else mode=--dry-run; fi
npx --no-install kpiops run --snapshot "$SNAPSHOT" --scorecard "$SCORECARD" --period "$PERIOD" \
  --out out/outbox --ledger ledger/deliveries.jsonl "$mode" -q
