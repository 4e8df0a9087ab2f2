#!/usr/bin/env bash
# Installs what the vault needs on a Debian/Ubuntu machine, then the npm packages.
#   scripts/setup.sh test   system packages for the tests (Secret Service, Chromium), npm ci
#                           without the Electron binary download (it needs GitHub)
#   scripts/setup.sh app    libsecret for keytar, npm ci with the Electron binary
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}

packages=(libsecret-1-dev)
if [ "$mode" = test ]; then
  packages+=(gnome-keyring dbus dbus-x11 libsecret-tools chromium)
fi

missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "Please install: ${missing[*]} (or your system's equivalents)" >&2
  else
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 # the tests drive the system's Chromium
if [ "$mode" = test ]; then export ELECTRON_SKIP_BINARY_DOWNLOAD=1; fi
npm ci --no-audit --no-fund
# The app loads keytar inside Electron, whose ABI differs from Node's: rebuild it for Electron.
# (The tests load keytar in Node, so they keep the Node build.)
if [ "$mode" = app ]; then npx electron-builder install-app-deps; fi
