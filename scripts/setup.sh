#!/usr/bin/env bash
# Installs what the vault needs, then the npm packages. Linux (apt where there is one), macOS,
# and Windows in Git Bash; written for bash 3.2 too (macOS's own).
#   scripts/setup.sh test   for the tests: on Linux a Secret Service (GNOME Keyring in D-Bus) and
#                           libsecret; a Chromium (Debian's where apt has it, else Playwright's);
#                           the Electron binary if it can be downloaded (else its tests skip)
#   scripts/setup.sh app    libsecret for keytar on Linux, the npm packages, the Electron binary
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}
case $mode in
  test | app) ;;
  *) echo "usage: scripts/setup.sh [test|app]" >&2 && exit 2 ;;
esac
os=$(uname -s) # Linux, Darwin, or MINGW64_NT-…/MSYS_NT-… in Git Bash
debian_chromium=/usr/bin/chromium

# macOS and Windows have their keychain built in; Linux needs libsecret and, for the tests, a
# Secret Service of our own (test/support/with-keyring.sh starts it).
if [ "$os" = Linux ]; then
  packages=(libsecret-1-dev)
  if [ "$mode" = test ]; then packages+=(gnome-keyring dbus dbus-x11 libsecret-tools); fi
  missing=()
  for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if ! command -v apt-get >/dev/null; then
    if [ ${#missing[@]} -gt 0 ]; then echo "Please install: ${missing[*]} (or your system's equivalents)" >&2; fi
  else
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    want_chromium=false
    if [ "$mode" = test ] && [ ! -x "$debian_chromium" ]; then want_chromium=true; fi
    if [ ${#missing[@]} -gt 0 ] || $want_chromium; then
      $sudo apt-get update -qq
      # Debian packages Chromium; Ubuntu has only a snap stub of it: there Playwright's is used.
      if $want_chromium && apt-cache show chromium >/dev/null 2>&1; then missing+=(chromium); fi
    fi
    if [ ${#missing[@]} -gt 0 ]; then
      echo "Installing system packages: ${missing[*]}"
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
  fi
fi

# Electron's binary and Playwright's browsers are downloads from outside the npm registry: npm ci
# skips them, so a machine that cannot reach them still gets every package; then they are tried.
ELECTRON_SKIP_BINARY_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund

if ! electron_log=$(node node_modules/electron/install.js 2>&1); then
  if [ "$mode" = app ]; then
    printf '%s\n' "$electron_log" >&2
    echo "The app needs the Electron binary, and its download (from GitHub) failed." >&2
    exit 1
  fi
  echo "No Electron binary (its download from GitHub failed): the Electron launch tests will skip."
fi

if [ "$mode" = test ] && [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x "$debian_chromium" ]; then
  echo "Installing Playwright's Chromium"
  if [ "$os" = Linux ] && command -v apt-get >/dev/null; then
    npx playwright install --with-deps chromium # --with-deps: the libraries it needs, by apt
  else
    npx playwright install chromium
  fi
fi

# The app loads keytar inside Electron, whose ABI differs from Node's: rebuild it for Electron.
# (The tests load keytar in Node, so they keep the Node build.)
if [ "$mode" = app ]; then npx electron-builder install-app-deps; fi
