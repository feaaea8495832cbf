#!/usr/bin/env bash
# The delivery ledger lives on its own branch, `kpiops-ledger`, so every run (and every
# re-run after a crash) starts from what was already sent, and the history of sends is an
# audit trail in git. The alert state (`kpiops alert`'s alert-state/v1 file) is kept on the
# same branch, beside it: a notice told (the state) and its emails sent (the ledger) are
# saved in one commit and restored together.
#   restore  puts the ledger in ./ledger; `restore alerts` also the alert state, as
#            ledger/alert-state.json (absent on the branch: absent here, a first alert run);
#            a branch that cannot be read is an error, never an empty ledger or a fresh
#            state (that would send everything, or tell every open episode, again);
#   save     commits and pushes them back, retrying when another run pushed in between
#            (their ledgers are merged line by line; the alert state is replaced whole, and
#            only when this run changed it, so a scorecards send never touches it);
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
STATE=ledger/alert-state.json
# The state's blob as restored: a state still equal to it is not this run's to push.
RESTORED=ledger/.alert-state.restored
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

# True when this run wrote an alert state of its own (not the one it restored, if any).
state_changed() {
  [ -f "$STATE" ] && [ "$(git hash-object "$STATE")" != "$(cat "$RESTORED" 2> /dev/null)" ]
}

# The branch's tree with the merged ledger and, when this run changed it, its alert state;
# every other file of the branch kept as it is.
tree_with() {
  local merged="$1" parent="$2" ours=false
  if state_changed; then
    ours=true
    if [ -n "$parent" ] && [ -f "$RESTORED" ] && git cat-file -e "$parent:alert-state.json" 2> /dev/null \
      && [ "$(git rev-parse "$parent:alert-state.json")" != "$(cat "$RESTORED")" ]; then
      echo "::warning::the alert state on $BRANCH changed since this run restored it (an alert run outside this one's concurrency group?); this run's replaces it" >&2
    fi
  fi
  {
    if [ -n "$parent" ]; then git ls-tree "$parent" | awk -F '\t' -v ours="$ours" '$2 != "deliveries.jsonl" && !(ours == "true" && $2 == "alert-state.json")'; fi
    printf '100644 blob %s\tdeliveries.jsonl\n' "$(git hash-object -w "$merged")"
    if [ "$ours" = true ]; then printf '100644 blob %s\talert-state.json\n' "$(git hash-object -w "$STATE")"; fi
  } | git mktree
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
    local tree commit
    tree=$(tree_with "$merged" "$parent")
    if [ -n "$parent" ] && [ "$(git rev-parse "$parent^{tree}")" = "$tree" ]; then echo "ledger unchanged"; return 0; fi
    commit=$(GIT_AUTHOR_NAME="kpiops scorecards" GIT_AUTHOR_EMAIL="kpiops-scorecards@users.noreply.github.com" \
      GIT_COMMITTER_NAME="kpiops scorecards" GIT_COMMITTER_EMAIL="kpiops-scorecards@users.noreply.github.com" \
      git commit-tree "$tree" ${parent:+-p "$parent"} -m "$(state_changed && echo 'Deliveries and alert state' || echo Deliveries) of run ${GITHUB_RUN_ID:-local} (attempt ${GITHUB_RUN_ATTEMPT:-1})")
    # Not forced: when another run pushed in between, fetch its lines and merge again.
    if remote_git push --quiet origin "$commit:refs/heads/$BRANCH"; then
      echo "ledger saved ($(wc -l < "$FILE") entries)$(state_changed && echo ', alert state saved')"
      return 0
    fi
    sleep $((attempt * 3))
  done
  echo "::error::could not push the delivery ledger to $BRANCH"
  return 1
}

case "${1:-}" in
  restore)
    mkdir -p ledger
    if [ "${2:-}" = alerts ]; then rm -f "$STATE" "$RESTORED"; fi
    status=0
    fetch_branch || status=$?
    if [ "$status" -eq 0 ]; then
      git show "origin/$BRANCH:deliveries.jsonl" > "$FILE"
      if [ "${2:-}" = alerts ] && git cat-file -e "origin/$BRANCH:alert-state.json" 2> /dev/null; then
        git show "origin/$BRANCH:alert-state.json" > "$STATE"
        git hash-object "$STATE" > "$RESTORED"
      fi
    elif [ "$status" -eq 2 ]; then
      : > "$FILE" # the first run: nothing was ever sent
    else
      if [ "${2:-}" = alerts ]; then
        echo "::error::could not read the delivery ledger and the alert state from $BRANCH; refusing to start from an empty ledger and a fresh state (it would tell every open episode again)"
      else
        echo "::error::could not read the delivery ledger from $BRANCH; refusing to start from an empty one"
      fi
      exit 1
    fi
    echo "ledger: $(wc -l < "$FILE") entries"
    if [ "${2:-}" = alerts ]; then
      if [ -f "$STATE" ]; then echo "alert state: evaluated at $(sed -n 's/^ *"evaluated_at": "\([^"]*\)".*/\1/p' "$STATE" | head -n 1)"; else echo "alert state: none yet (the first alert run)"; fi
    fi
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
  *) echo "usage: ledger.sh restore [alerts]|save|watch|stop"; exit 2 ;;
esac
