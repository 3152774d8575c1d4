#!/usr/bin/env bash
# Builds the release binary and runs benches/compare.rs: latch beside the
# PBKDF2 floor, `openssl kdf`, `secret-tool`, `sqlite3` and `psql`, each ratio
# against its target, on SQLite stores and on PostgreSQL ones. Installs the
# tools from Debian's packages when they are missing (PostgreSQL and PgBouncer
# for scripts/test-env's server, `time` for `/usr/bin/time -v`, which measures
# the PostgreSQL import's peak memory), and runs inside scripts/test-env for a
# private Secret Service and a throwaway PostgreSQL server. LATCH_BENCH_PG=0
# skips the PostgreSQL part; LATCH_BENCH_ROUNDS sets the rounds (15).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
for pair in openssl:openssl sqlite3:sqlite3 libsecret-tools:secret-tool \
            gnome-keyring:gnome-keyring-daemon dbus:dbus-run-session keyutils:keyctl \
            time:/usr/bin/time postgresql-client:psql; do
    command -v "${pair#*:}" >/dev/null 2>&1 || missing+=("${pair%%:*}")
done
# scripts/test-env's server programs are not on PATH.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi
exec scripts/test-env cargo bench --bench compare
