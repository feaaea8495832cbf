#!/usr/bin/env bash
# Takes out of the outbox, before it is uploaded as an artifact, every email that carries an
# n=1 HCP brief (a rep scorecard's): an artifact can be downloaded by anyone who can read
# the repository, for 30 days, and HCP-level rows go only to the rep of the territory.
# KEEP_BRIEFS=true (a manual run's `keep_briefs` input) keeps them. The summary, the
# delivery report and every other scorecard stay.
set -euo pipefail
OUTBOX="${1:-out/outbox}"
[ -f "$OUTBOX/summary.json" ] || exit 0
if [ "${KEEP_BRIEFS:-false}" = "true" ]; then echo "the artifact keeps the HCP briefs, as asked"; exit 0; fi
node - "$OUTBOX" <<'JS'
const { readFileSync, rmSync } = require('node:fs');
const { resolve, sep } = require('node:path');
const outbox = resolve(process.argv[2]);
const inside = (path) => resolve(path).startsWith(outbox + sep);
const { entries } = JSON.parse(readFileSync(`${outbox}/summary.json`, 'utf8'));
let removed = 0;
for (const e of entries) {
  if (!e.brief || !e.files) continue;
  const paths = [...Object.values(e.files), e.files.eml.replace(/\.eml$/, '.files')];
  for (const path of paths.filter(inside)) rmSync(path, { recursive: true, force: true });
  removed += 1;
}
console.log(`left out of the artifact: ${removed} emails with an HCP brief`);
JS
