#!/usr/bin/env bash
# Builds the release binary and runs benches/compare.rs: latch beside the
# PBKDF2 floor, `openssl kdf`, `secret-tool` and `sqlite3`, each ratio against
# its target. Installs the tools from Debian's packages when they are missing,
# builds benches/bus-exchange.c, and runs inside scripts/test-env for a private
# Secret Service.
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
# The D-Bus exchange of a failing whoami alone, timed beside latch.
out="${CARGO_TARGET_DIR:-target}"
mkdir -p "$out"
cc -O2 -o "$out/bus-exchange" benches/bus-exchange.c
export LATCH_BENCH_BUS_EXCHANGE="$(cd "$out" && pwd)/bus-exchange"
exec scripts/test-env cargo bench --bench compare
