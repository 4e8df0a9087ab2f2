#!/usr/bin/env bash
# One or more Playwright specs without the whole suite: builds what they need once (the renderer
# for test/e2e; the app and its package for test/packaged and test/electron), then runs them in
# the private Secret Service. Arguments go to Playwright: `npm run test:e2e -- test/e2e/journey.spec.ts`.
set -euo pipefail
cd "$(dirname "$0")/.."
if printf '%s\n' "$@" | grep -qE 'test/(packaged|electron)|--project=(packaged|electron)'; then
  npm run -s build && npm run -s package:check >/dev/null
else
  node scripts/build-parts.mjs renderer
fi
exec test/support/with-keyring.sh npx playwright test "$@"
