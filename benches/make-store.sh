#!/usr/bin/env bash
# Makes an account store of N users (default 1,000,000) the way an operator
# would: an admin registers, then `latch import` reads N generated lines.
# Every user shares one real PBKDF2 hash (of PASSWORD below), so making the
# store costs one hash, not N.
#
#   benches/make-store.sh /tmp/big.db            # 1,000,000 users
#   benches/make-store.sh /tmp/small.db 1000
#
# LATCH names the binary (default: target/release/latch). The admin's token is
# kept in a throwaway HOME that is removed at the end.
set -euo pipefail
store=${1:?usage: benches/make-store.sh STORE [N]}
count=${2:-1000000}
latch=${LATCH:-target/release/latch}
password='correct horse battery staple'

[ -x "$latch" ] || { echo "make-store: no latch binary at $latch (cargo build --release)" >&2; exit 1; }
[ ! -e "$store" ] || { echo "make-store: $store exists; remove it first" >&2; exit 1; }

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME=$home XDG_STATE_HOME=$home/state XDG_DATA_HOME=$home/data
export LATCH_DB=$store LATCH_TOKEN_STORE=file

printf '%s\n' "$password" |
    "$latch" -q register admin --email admin@example.com --password-stdin --admin --login 2>/dev/null
hash=$("$latch" export --format jsonl 2>/dev/null | head -n 1 | sed 's/.*"password":"\([^"]*\)".*/\1/')

awk -v n="$count" -v hash="$hash" 'BEGIN {
    for (i = 0; i < n; i++)
        printf "{\"username\":\"user%d\",\"email\":\"user%d@example.com\",\"password\":\"%s\"}\n", i, i, hash
}' | "$latch" import --format jsonl - 2>&1 | grep -v '^latch: warning'
