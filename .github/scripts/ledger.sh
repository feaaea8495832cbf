#!/usr/bin/env bash
# The delivery ledger lives on its own branch, `kpiops-ledger`, so every run (and every
# re-run after a crash) starts from what was already sent, and the history of sends is an
# audit trail in git.
#   restore  puts it in ./ledger; a branch that cannot be read is an error, never an empty
#            ledger (that would send everything again);
#   save     commits and pushes it back, retrying when another run pushed in between
#            (their ledgers are merged line by line);
#   watch    saves every LEDGER_SAVE_EVERY seconds (20) until ledger/.stop appears, so a
#            runner lost mid-send loses at most the outcomes of the last interval;
#   stop     ends the watcher and saves one last time.
# The checkout keeps no credentials. The token comes from LEDGER_TOKEN (the ledger steps'
# environment only; `watch` reads it from standard input instead, so that it is not in the
# environment of a process that outlives its step) and reaches git as an HTTP header through
# GIT_CONFIG_* variables of the one git command that needs it: never in a file, an argument
# or the log.
set -euo pipefail
BRANCH=kpiops-ledger
FILE=ledger/deliveries.jsonl
token="${LEDGER_TOKEN:-}"
unset LEDGER_TOKEN

# git, with the token as an HTTP authorization header when there is one.
remote_git() {
  if [ -n "$token" ]; then
    local header
    header="AUTHORIZATION: basic $(printf 'x-access-token:%s' "$token" | base64 | tr -d '\n')"
    GIT_TERMINAL_PROMPT=0 GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="http.https://github.com/.extraheader" GIT_CONFIG_VALUE_0="$header" git "$@"
  else
    GIT_TERMINAL_PROMPT=0 git "$@"
  fi
}

# Fetches the branch: 0 when fetched, 2 when it does not exist yet, 1 when it cannot be read.
fetch_branch() {
  local status=0
  remote_git ls-remote --exit-code --heads origin "$BRANCH" > /dev/null || status=$?
  if [ "$status" -eq 2 ]; then return 2; fi
  if [ "$status" -ne 0 ]; then return 1; fi
  remote_git fetch --quiet origin "+refs/heads/$BRANCH:refs/remotes/origin/$BRANCH" || return 1
}

save() {
  [ -f "$FILE" ] || return 0
  # Plumbing only (blob, tree, commit, push): no checkout of the branch, no change to the work tree.
  for attempt in 1 2 3 4 5; do
    local merged parent="" fetched=0
    merged=$(mktemp)
    fetch_branch || fetched=$?
    if [ "$fetched" -eq 0 ]; then
      parent=$(git rev-parse "origin/$BRANCH")
      # Lines are whole JSON records: the branch's lines, then ours it does not have yet, in order.
      git show "$parent:deliveries.jsonl" > "$merged.branch" 2>/dev/null || : > "$merged.branch"
      awk 'NR == FNR { seen[$0] = 1; print; next } !seen[$0]++' "$merged.branch" "$FILE" > "$merged"
    elif [ "$fetched" -eq 2 ]; then
      cp "$FILE" "$merged"
    else
      echo "could not read $BRANCH (attempt $attempt)" >&2
      sleep $((attempt * 3))
      continue
    fi
    local blob tree commit
    blob=$(git hash-object -w "$merged")
    tree=$(printf '100644 blob %s\tdeliveries.jsonl\n' "$blob" | git mktree)
    if [ -n "$parent" ] && [ "$(git rev-parse "$parent^{tree}")" = "$tree" ]; then echo "ledger unchanged"; return 0; fi
    commit=$(GIT_AUTHOR_NAME="kpiops scorecards" GIT_AUTHOR_EMAIL="kpiops-scorecards@users.noreply.github.com" \
      GIT_COMMITTER_NAME="kpiops scorecards" GIT_COMMITTER_EMAIL="kpiops-scorecards@users.noreply.github.com" \
      git commit-tree "$tree" ${parent:+-p "$parent"} -m "Deliveries of run ${GITHUB_RUN_ID:-local} (attempt ${GITHUB_RUN_ATTEMPT:-1})")
    # Not forced: when another run pushed in between, fetch its lines and merge again.
    if remote_git push --quiet origin "$commit:refs/heads/$BRANCH"; then echo "ledger saved ($(wc -l < "$FILE") entries)"; return 0; fi
    sleep $((attempt * 3))
  done
  echo "::error::could not push the delivery ledger to $BRANCH"
  return 1
}

case "${1:-}" in
  restore)
    mkdir -p ledger
    status=0
    fetch_branch || status=$?
    if [ "$status" -eq 0 ]; then
      git show "origin/$BRANCH:deliveries.jsonl" > "$FILE"
    elif [ "$status" -eq 2 ]; then
      : > "$FILE" # the first run: nothing was ever sent
    else
      echo "::error::could not read the delivery ledger from $BRANCH; refusing to start from an empty one"
      exit 1
    fi
    echo "ledger: $(wc -l < "$FILE") entries"
    ;;
  save)
    save
    ;;
  watch)
    IFS= read -r token || true
    mkdir -p ledger
    rm -f ledger/.stop
    echo $$ > ledger/.watch.pid
    every="${LEDGER_SAVE_EVERY:-20}"
    while [ ! -e ledger/.stop ]; do
      for _ in $(seq "$every"); do [ -e ledger/.stop ] && break; sleep 1; done
      [ -e ledger/.stop ] && break
      save || echo "::warning::the delivery ledger could not be pushed this time; trying again in ${every} s"
    done
    rm -f ledger/.watch.pid
    ;;
  stop)
    mkdir -p ledger
    touch ledger/.stop
    # Let a save under way finish, so the last one below has the last word.
    for _ in $(seq 60); do
      if [ ! -e ledger/.watch.pid ] || ! kill -0 "$(cat ledger/.watch.pid)" 2>/dev/null; then break; fi
      sleep 1
    done
    save
    ;;
  *) echo "usage: ledger.sh restore|save|watch|stop"; exit 2 ;;
esac
