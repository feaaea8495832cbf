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
    # Plumbing only (blob, tree, commit, push): no checkout of the branch, no change to the work tree.
    for attempt in 1 2 3 4 5; do
      merged=$(mktemp)
      parent=""
      if git fetch --quiet origin "$BRANCH" 2>/dev/null; then
        parent=$(git rev-parse "origin/$BRANCH")
        # Lines are whole JSON records: the branch's lines, then ours it does not have yet, in order.
        git show "$parent:deliveries.jsonl" > "$merged.branch" 2>/dev/null || : > "$merged.branch"
        awk 'NR == FNR { seen[$0] = 1; print; next } !seen[$0]++' "$merged.branch" "$FILE" > "$merged"
      else
        cp "$FILE" "$merged"
      fi
      blob=$(git hash-object -w "$merged")
      tree=$(printf '100644 blob %s\tdeliveries.jsonl\n' "$blob" | git mktree)
      if [ -n "$parent" ] && [ "$(git rev-parse "$parent^{tree}")" = "$tree" ]; then echo "ledger unchanged"; exit 0; fi
      commit=$(GIT_AUTHOR_NAME="kpiops scorecards" GIT_AUTHOR_EMAIL="kpiops-scorecards@users.noreply.github.com" \
        GIT_COMMITTER_NAME="kpiops scorecards" GIT_COMMITTER_EMAIL="kpiops-scorecards@users.noreply.github.com" \
        git commit-tree "$tree" ${parent:+-p "$parent"} -m "Deliveries of run ${GITHUB_RUN_ID:-local} (attempt ${GITHUB_RUN_ATTEMPT:-1})")
      # Not forced: when another run pushed in between, fetch its lines and merge again.
      if git push --quiet origin "$commit:refs/heads/$BRANCH"; then echo "ledger saved"; exit 0; fi
      sleep $((attempt * 3))
    done
    echo "::error::could not push the delivery ledger to $BRANCH"
    exit 1
    ;;
  *) echo "usage: ledger.sh restore|save"; exit 2 ;;
esac
