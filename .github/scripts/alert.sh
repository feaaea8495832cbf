#!/usr/bin/env bash
# Judges every alert and data-feed monitor on the snapshot as of now (the run's time, so a
# feed that stopped arriving is seen even when the snapshot did not change), from the alert
# state and the delivery ledger restored from the kpiops-ledger branch into ledger/, and
# sends what is owed: exactly once per alert, episode, recipient, transition and reminder.
# A dry run judges from a copy of the state and reports, from the ledger, what would be sent:
# the state on the branch is left as it was, so the next real run still tells what the dry
# run only showed. The emails are written to out/alerts either way (the outbox artifact).
set -euo pipefail
if [ -z "${SNAPSHOT:-}" ]; then echo "::error::the alert run needs a snapshot: set the snapshot input"; exit 1; fi
if [ ! -f ledger/deliveries.jsonl ]; then echo "::error::no delivery ledger in ledger/: restore it from the kpiops-ledger branch first (ledger.sh restore alerts)"; exit 1; fi
if [ "${SAMPLE:-false}" = "true" ]; then npx --no-install kpiops sample --out "$SNAPSHOT" --months 24 --if-missing -q; fi
as_of=$(date -u +%Y-%m-%dT%H:%M:%SZ)
state=ledger/alert-state.json
if [ "${DRY_RUN:-true}" = "false" ]; then
  mode=(--send --ledger ledger/deliveries.jsonl)
else
  mode=(--dry-run --ledger ledger/deliveries.jsonl)
  preview=ledger/alert-state.dry-run.json
  rm -f "$preview"
  if [ -f "$state" ]; then cp "$state" "$preview"; fi
  state="$preview"
  echo "dry run: judged from a copy of the alert state; nothing is sent and the state on kpiops-ledger is left as it was"
fi
npx --no-install kpiops alert --snapshot "$SNAPSHOT" --as-of "$as_of" --state "$state" --out out/alerts "${mode[@]}" -q
