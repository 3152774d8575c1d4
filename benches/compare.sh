#!/usr/bin/env bash
# Builds the release binary and runs benches/compare.rs: latch beside the
# PBKDF2 floor, `openssl kdf`, `secret-tool` and `sqlite3`, each ratio against
# its target. Installs the tools from Debian's packages when they are missing,
# and runs inside scripts/test-env for a private Secret Service.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
for pair in openssl:openssl sqlite3:sqlite3 libsecret-tools:secret-tool \
            gnome-keyring:gnome-keyring-daemon dbus:dbus-run-session keyutils:keyctl; do
    command -v "${pair#*:}" >/dev/null 2>&1 || missing+=("${pair%%:*}")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi
exec scripts/test-env cargo bench --bench compare
