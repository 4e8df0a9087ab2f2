#!/usr/bin/env bash
# The whole suite, as CI runs it: static checks, build, then unit + integration + keychain, the
# e2e journey in Chromium and the Electron launch tests, all inside a private Secret Service.
set -uo pipefail
cd "$(dirname "$0")/.."
rm -rf test-results && mkdir -p test-results
step() { printf '\n=== %s\n' "$*"; }

step typecheck && npm run -s typecheck || exit 1
step lint && npm run -s lint || exit 1
step "workflows (offline validation)" && npm run -s lint:workflows || exit 1
step "electronegativity (Electron security checklist)" && npm run -s lint:electron || exit 1
step build && npm run -s build || exit 1
step "package (electron-builder dir target with a stand-in Electron, then inspected)" && npm run -s package:check || exit 1
step "unit, integration, keychain (vitest) and e2e, packaged, electron (playwright)"
test/support/with-keyring.sh bash -c '
  npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json; v=$?
  npx playwright test; p=$?
  exit $(( v != 0 || p != 0 ))'
status=$?
# Only once the suite passes: each protection removed in turn must then make it fail.
if [ $status -eq 0 ]; then
  step "mutation check (every protection fails a test when removed)"
  # 3 at a time on 2 cores: most checks wait on timers and local servers, not the CPU.
  test/support/with-keyring.sh npm run -s mutation:check -- --after-suite --workers 3 || status=1
fi
node scripts/test-summary.mjs || status=1
exit $status
