#!/usr/bin/env bash
# The inner loop, within a minute here: the typecheck (incremental: a second run redoes only what
# changed) and every vitest test, unit and integration, the real keychain included. Nothing is
# built or packed. Arguments go to vitest: a file, or -t <part of a test's name>.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
npm run -s typecheck || exit 1
test/support/with-keyring.sh npx vitest run "$@"
status=$?
echo "test:quick: $((SECONDS - started)) s"
exit $status
