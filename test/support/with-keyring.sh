#!/usr/bin/env bash
# Runs a command where keytar has a real keychain. On Linux: inside a private D-Bus session with
# an unlocked GNOME Keyring, isolated from the user's own keyring (its files live in a temp dir).
# On macOS and Windows (Git Bash): as it is, with the OS keychain (Keychain, Credential Manager).
set -euo pipefail
case $(uname -s) in
  Darwin | MINGW* | MSYS* | CYGWIN*) exec "$@" ;;
esac
if [ "${VAULT_KEYRING_READY:-}" = 1 ]; then exec "$@"; fi
keyring_home=$(mktemp -d -t vault-keyring-XXXXXX)
trap 'rm -rf "$keyring_home"' EXIT
mkdir -p "$keyring_home/keyrings"
export XDG_DATA_HOME="$keyring_home" VAULT_KEYRING_READY=1
# The password must not be empty, or the daemon asks a GUI prompt for one.
dbus-run-session -- bash -c 'printf "vault-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' _ "$@"
