#!/usr/bin/env bash
# The delivery ledger lives on its own branch, `kpiops-ledger`, so every run (and every
# re-run after a crash) starts from what was already sent, and the history of sends is an
# audit trail in git. `restore` puts it in ./ledger, `save` commits and pushes it back,
# retrying when another run pushed in between (their ledgers are merged line by line).
set -euo pipefail
BRANCH=kpiops-ledger
FILE=ledger/deliveries.jsonl
case "${1:-}" in
  restore)
    mkdir -p ledger
    if git fetch --quiet origin "$BRANCH" 2>/dev/null; then
      git show "origin/$BRANCH:deliveries.jsonl" > "$FILE" 2>/dev/null || : > "$FILE"
    else
      : > "$FILE"
    fi
    echo "ledger: $(wc -l < "$FILE") entries"
    ;;
  save)
    [ -f "$FILE" ] || exit 0
    git config user.name "kpiops scorecards"
    git config user.email "kpiops-scorecards@users.noreply.github.com"
    for attempt in 1 2 3 4 5; do
      work=$(mktemp -d)
      if git fetch --quiet origin "$BRANCH" 2>/dev/null; then
        git worktree add --quiet "$work" "origin/$BRANCH"
        # Lines are whole JSON records: the branch's lines, then ours it does not have yet, in order.
        awk 'NR == FNR { seen[$0] = 1; print; next } !seen[$0]++' "$work/deliveries.jsonl" "$FILE" > "$work/merged"
        mv "$work/merged" "$work/deliveries.jsonl"
      else
        git worktree add --quiet --detach "$work"
        (cd "$work" && git checkout --quiet --orphan "$BRANCH" && git rm -rfq --ignore-unmatch . )
        cp "$FILE" "$work/deliveries.jsonl"
      fi
      (
        cd "$work"
        git add deliveries.jsonl
        git diff --cached --quiet || git commit --quiet -m "Deliveries of run $GITHUB_RUN_ID (attempt $GITHUB_RUN_ATTEMPT)"
        git push --quiet origin "HEAD:refs/heads/$BRANCH"
      ) && { git worktree remove --force "$work"; echo "ledger saved"; exit 0; }
      git worktree remove --force "$work"
      sleep $((attempt * 3))
    done
    echo "::error::could not push the delivery ledger to $BRANCH"
    exit 1
    ;;
  *) echo "usage: ledger.sh restore|save"; exit 2 ;;
esac
