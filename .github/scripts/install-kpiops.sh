#!/usr/bin/env bash
# Installs the project's dependencies exactly as its package-lock.json pins them, with no
# install scripts (a dependency's script would run as the job), and checks that kpiops is
# one of them: the action runs the version the project chose (`npx --no-install kpiops`),
# never whatever the registry has today. In kpiops's own repository the CLI is the code
# under review, so it is built from the checkout instead.
set -euo pipefail
if [ ! -f package.json ] || [ ! -f package-lock.json ]; then
  echo "::error::$(pwd) has no package.json and package-lock.json: the kpiops action runs the kpiops version a project pins. Run npm install --save-dev kpiops there and commit both files (or set working-directory to the project)"
  exit 1
fi
npm ci --ignore-scripts --no-audit --no-fund
if [ "$(node -p 'require("./package.json").name')" = kpiops ]; then
  npm run build
elif ! node -e 'require.resolve("kpiops/package.json", { paths: [process.cwd()] })' 2> /dev/null; then
  echo "::error::kpiops is not a dependency of $(pwd)/package.json: the action runs the version the project pins, so run npm install --save-dev kpiops and commit package.json and package-lock.json"
  exit 1
fi
echo "kpiops $(npx --no-install kpiops --version)"
