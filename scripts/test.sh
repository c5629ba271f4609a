#!/usr/bin/env bash
# Runs every check and test suite: formatting and lint, types, the Electron build, then the unit,
# Docker and end-to-end suites. Exits non-zero when anything fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/prerequisites.sh test

echo "==> lint and format (biome)"
npx biome check .
echo "==> types (tsc)"
npx tsc --noEmit -p tsconfig.json
echo "==> build (electron-vite)"
npx electron-vite build >/dev/null
echo "==> tests (vitest: unit, docker, e2e)"
mkdir -p out
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=out/test-results.json "$@" || status=$?
node scripts/testSummary.mjs out/test-results.json || status=1
exit "$status"
