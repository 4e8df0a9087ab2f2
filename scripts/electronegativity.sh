#!/usr/bin/env bash
# Electronegativity (Doyensec's Electron checklist) over the sources: the main process, the preload
# and the renderer with its CSP. Every finding fails, unless the line carries an inline
# `eng-disable <CHECK>` comment that says, in words, why it was reviewed and accepted.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/renderer"
cp -R electron "$work/src/"
cp -R renderer/index.html renderer/src "$work/src/renderer/"
version=$(node -p "require('electron/package.json').version")
# It asks the network for translations and Electron releases (once: see electronegativity-hooks.mjs);
# offline, it says so and goes on.
node --import ./scripts/electronegativity-hooks.mjs node_modules/@doyensec/electronegativity/dist/index.js \
  -i "$work/src" -e "$version" -r -o "$work/findings.csv" >"$work/log" 2>&1 || {
  cat "$work/log"
  exit 1
}
findings=$(tail -n +2 "$work/findings.csv" | grep -c . || true)
if [ "$findings" -ne 0 ]; then
  echo "electronegativity: $findings finding(s) (fix each, or silence it inline with its reason):"
  tail -n +2 "$work/findings.csv"
  exit 1
fi
echo "electronegativity: no findings over electron/ and renderer/"
